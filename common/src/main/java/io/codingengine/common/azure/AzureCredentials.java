package io.codingengine.common.azure;

import com.azure.core.credential.TokenCredential;
import com.azure.identity.DefaultAzureCredentialBuilder;

/**
 * The one way the engine authenticates to Azure services (Service Bus, Table and Blob Storage,
 * Dynamic Sessions): {@code DefaultAzureCredential}, which on Azure is the app's managed identity
 * and elsewhere whatever the environment offers (service principal variables, Azure CLI login).
 * Never a key in configuration.
 */
public final class AzureCredentials {

    private AzureCredentials() {}

    /**
     * @param managedIdentityClientId the client id of a user-assigned managed identity; blank: the
     *                                system-assigned one, or whatever else the chain finds
     */
    public static TokenCredential defaultCredential(String managedIdentityClientId) {
        DefaultAzureCredentialBuilder builder = new DefaultAzureCredentialBuilder();
        if (managedIdentityClientId != null && !managedIdentityClientId.isBlank()) {
            builder.managedIdentityClientId(managedIdentityClientId);
        }
        return builder.build();
    }
}
