// Coding Engine on Azure: everything in the seed's table plus Service Bus and Storage, with every
// role assignment the apps need, so that no administrator step is left after a deployment.
// No keys or connection strings: the apps, the scaler and the registry pulls all use one
// user-assigned managed identity. Deployed by infra/deploy.sh.

@description('Prefix of every resource name (lower case letters and digits, 3 to 11 characters).')
@minLength(3)
@maxLength(11)
param prefix string = 'codeeng'

param location string = resourceGroup().location

@description('Image tag pushed by deploy.sh (the same for api, worker and session-image).')
param imageTag string

@description('Registry name; deploy.sh creates it first to push the images, then this template adopts it.')
param registryName string

@description('Sessions running at once across the pool (the seed: 50 for a 200-person contest).')
param maxSessions int = 50

@description('Sessions kept started and waiting, so a submission never waits for a container start.')
param readySessions int = 5

@description('Seconds an idle session lives after its last request before the pool deletes it.')
param sessionCooldownSeconds int = 300

@description('Most worker replicas (the seed: 10).')
param workerMaxReplicas int = 10

@description('Submissions one worker replica judges at once; workerMaxReplicas * workerSlots should equal maxSessions.')
param workerSlots int = 5

@description('Queue messages per worker replica before KEDA adds a replica.')
param messagesPerWorker int = 10

@description('Most api replicas.')
param apiMaxReplicas int = 5

@description('Hex SHA-256 of the bootstrap admin key (docs/operations.md, "The first admin key"); empty: no admin until one is set.')
param adminKeySha256 string = ''

@description('Where Azure Monitor alerts are mailed; empty: no notification.')
param alertEmail string = ''

var queues = [ 'interactive', 'contest', 'regrade' ]
var tablePrefix = 'ce'

// Built-in role definition ids (the same in every tenant).
var roles = {
  sessionExecutor: '0fb8eba5-a2bb-4abe-b1c1-49dfad359bb0' // Azure ContainerApps Session Executor
  serviceBusSender: '69a216fc-b8fb-44d8-bc22-1f3c2cd27a39' // Azure Service Bus Data Sender
  serviceBusReceiver: '4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0' // Azure Service Bus Data Receiver
  serviceBusOwner: '090c5cfd-751d-490a-894a-3ce6f1109419' // Azure Service Bus Data Owner (KEDA reads queue length)
  tableContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3' // Storage Table Data Contributor
  blobContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe' // Storage Blob Data Contributor
  acrPull: '7f951dda-4ed3-4680-a7ca-43fe172d538d' // AcrPull
}

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: '${prefix}-identity'
  location: location
}

resource registry 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: registryName
  location: location
  sku: { name: 'Basic' }
  properties: {
    adminUserEnabled: false // pulls use the managed identity (AcrPull below)
  }
}

resource logs 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: '${prefix}-logs'
  location: location
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: 30
  }
}

resource environment 'Microsoft.App/managedEnvironments@2024-03-01' = {
  name: '${prefix}-env'
  location: location
  properties: {
    appLogsConfiguration: {
      destination: 'log-analytics'
      logAnalyticsConfiguration: {
        customerId: logs.properties.customerId
        sharedKey: logs.listKeys().primarySharedKey // the platform's log shipping; no app sees it
      }
    }
  }
}

resource serviceBus 'Microsoft.ServiceBus/namespaces@2022-10-01-preview' = {
  name: '${prefix}-${uniqueString(resourceGroup().id)}'
  location: location
  sku: { name: 'Standard', tier: 'Standard' }
  properties: {
    disableLocalAuth: true // Entra ID only: no SAS keys
    minimumTlsVersion: '1.2'
  }
}

resource serviceBusQueues 'Microsoft.ServiceBus/namespaces/queues@2022-10-01-preview' = [for q in queues: {
  parent: serviceBus
  name: q
  properties: {
    // Above the worker's max-delivery-count (5), so that the adapter dead-letters with its reason
    // and counts (ServiceBusSubmissionQueue); the broker's own limit is only a backstop.
    maxDeliveryCount: 10
    deadLetteringOnMessageExpiration: true
    lockDuration: 'PT1M' // long judgings renew the lock
    defaultMessageTimeToLive: 'P14D'
    requiresDuplicateDetection: false
  }
}]

// Piston replies: one session per listening api replica (ServiceBusReplyChannel); a reply nobody
// waits for expires.
resource replyQueue 'Microsoft.ServiceBus/namespaces/queues@2022-10-01-preview' = {
  parent: serviceBus
  name: 'replies'
  properties: {
    requiresSession: true
    defaultMessageTimeToLive: 'PT10M'
    deadLetteringOnMessageExpiration: false
    lockDuration: 'PT1M'
  }
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: take('${prefix}${uniqueString(resourceGroup().id)}', 24)
  location: location
  sku: { name: 'Standard_LRS' }
  kind: 'StorageV2'
  properties: {
    allowSharedKeyAccess: false // Entra ID only: no account keys, no connection strings
    allowBlobPublicAccess: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
  }
}

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

// The stores also create these when missing (Storage Table and Blob Data Contributor allow it).
resource tables 'Microsoft.Storage/storageAccounts/tableServices/tables@2023-05-01' = [for t in [ 'submissions', 'submissionindex', 'apikeys' ]: {
  parent: tableService
  name: '${tablePrefix}${t}'
}]

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource containers 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = [for c in [ 'problems', 'submissions' ]: {
  parent: blobService
  name: '${tablePrefix}-${c}'
  properties: { publicAccess: 'None' }
}]

resource sessionPool 'Microsoft.App/sessionPools@2025-01-01' = {
  name: '${prefix}-sessions'
  location: location
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identity.id}': {} }
  }
  dependsOn: [ acrPull ]
  properties: {
    environmentId: environment.id
    poolManagementType: 'Dynamic'
    containerType: 'CustomContainer'
    scaleConfiguration: {
      maxConcurrentSessions: maxSessions
      readySessionInstances: readySessions
    }
    dynamicPoolConfiguration: {
      lifecycleConfiguration: {
        lifecycleType: 'Timed'
        cooldownPeriodInSeconds: sessionCooldownSeconds
      }
    }
    // Untrusted code must not reach the internet, nor anything of ours.
    sessionNetworkConfiguration: { status: 'EgressDisabled' }
    customContainerTemplate: {
      registryCredentials: {
        server: registry.properties.loginServer
        identity: identity.id
      }
      containers: [
        {
          name: 'session'
          image: '${registry.properties.loginServer}/session-image:${imageTag}'
          resources: { cpu: 1, memory: '2Gi' }
          env: [
            { name: 'PORT', value: '8080' }
            { name: 'CE_SLOTS', value: '1' } // one submission per session
          ]
        }
      ]
      ingress: { targetPort: 8080 }
    }
  }
}

// The settings of the apps' "azure" profile (docs/configuration.md, "The azure profile"): Service
// Bus and Storage by the managed identity, no connection string.
var serviceBusNamespace = '${serviceBus.name}.servicebus.windows.net'
var tableEndpoint = 'https://${storage.name}.table.${az.environment().suffixes.storage}'
var blobEndpoint = 'https://${storage.name}.blob.${az.environment().suffixes.storage}'
var apiEnv = [
  { name: 'SPRING_PROFILES_ACTIVE', value: 'azure' }
  { name: 'AZURE_CLIENT_ID', value: identity.properties.clientId }
  { name: 'CODINGENGINE_MANAGEDIDENTITYCLIENTID', value: identity.properties.clientId }
  { name: 'CODINGENGINE_SERVICEBUSNAMESPACE', value: serviceBusNamespace }
  { name: 'CODINGENGINE_TABLEENDPOINT', value: tableEndpoint }
  { name: 'CODINGENGINE_BLOBENDPOINT', value: blobEndpoint }
  { name: 'CODINGENGINE_TABLEPREFIX', value: tablePrefix }
]
var workerEnv = [
  { name: 'SPRING_PROFILES_ACTIVE', value: 'azure' }
  { name: 'AZURE_CLIENT_ID', value: identity.properties.clientId }
  { name: 'CODINGENGINE_WORKER_MANAGEDIDENTITYCLIENTID', value: identity.properties.clientId }
  { name: 'CODINGENGINE_WORKER_SERVICEBUSNAMESPACE', value: serviceBusNamespace }
  { name: 'CODINGENGINE_WORKER_TABLEENDPOINT', value: tableEndpoint }
  { name: 'CODINGENGINE_WORKER_BLOBENDPOINT', value: blobEndpoint }
  { name: 'CODINGENGINE_WORKER_TABLEPREFIX', value: tablePrefix }
]

resource api 'Microsoft.App/containerApps@2024-03-01' = {
  name: '${prefix}-api'
  location: location
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identity.id}': {} }
  }
  // Started once the identity may use the queues and the account, so the first start succeeds.
  dependsOn: [ acrPull, serviceBusSender, serviceBusReceiver, serviceBusOwner, tableContributor, blobContributor ]
  properties: {
    managedEnvironmentId: environment.id
    configuration: {
      ingress: {
        external: true
        targetPort: 2000
        transport: 'auto'
        allowInsecure: false // HTTPS only
      }
      registries: [ { server: registry.properties.loginServer, identity: identity.id } ]
    }
    template: {
      containers: [
        {
          name: 'api'
          image: '${registry.properties.loginServer}/api:${imageTag}'
          resources: { cpu: json('1.0'), memory: '2Gi' }
          env: concat(apiEnv, [
            { name: 'PORT', value: '2000' }
            // the internet-facing profile: Piston needs a key, JSON logs (docs/operations.md, "Access and keys")
            { name: 'SPRING_PROFILES_ACTIVE', value: 'azure' }
            { name: 'CODINGENGINE_ACCESS_ADMINKEYSHA256', value: adminKeySha256 }
          ])
          probes: [
            { type: 'Liveness', httpGet: { path: '/health/live', port: 2000 }, initialDelaySeconds: 20, periodSeconds: 10 }
            { type: 'Readiness', httpGet: { path: '/health/ready', port: 2000 }, initialDelaySeconds: 10, periodSeconds: 10 }
          ]
        }
      ]
      scale: {
        minReplicas: 1
        maxReplicas: apiMaxReplicas
        rules: [ { name: 'http', http: { metadata: { concurrentRequests: '100' } } } ]
      }
    }
  }
}

resource worker 'Microsoft.App/containerApps@2024-03-01' = {
  name: '${prefix}-worker'
  location: location
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identity.id}': {} }
  }
  dependsOn: [ acrPull, serviceBusSender, serviceBusReceiver, serviceBusOwner, tableContributor, blobContributor, sessionExecutor ]
  properties: {
    managedEnvironmentId: environment.id
    configuration: {
      registries: [ { server: registry.properties.loginServer, identity: identity.id } ]
    }
    template: {
      containers: [
        {
          name: 'worker'
          image: '${registry.properties.loginServer}/worker:${imageTag}'
          resources: { cpu: json('0.5'), memory: '1Gi' }
          env: concat(workerEnv, [
            { name: 'CODINGENGINE_WORKER_SESSIONPOOLENDPOINT', value: sessionPool.properties.poolManagementEndpoint }
            { name: 'CODINGENGINE_WORKER_SLOTS', value: string(workerSlots) }
          ])
        }
      ]
      scale: {
        minReplicas: 1
        maxReplicas: workerMaxReplicas
        // One rule per lane: KEDA adds a replica per messagesPerWorker waiting messages.
        rules: [for q in queues: {
          name: 'queue-${q}'
          custom: {
            type: 'azure-servicebus'
            identity: identity.id
            metadata: {
              namespace: serviceBus.name
              queueName: q
              messageCount: string(messagesPerWorker)
            }
          }
        }]
      }
    }
  }
}

// Role assignments: what the seed had to ask an administrator for is part of the deployment.
resource sessionExecutor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(sessionPool.id, identity.id, roles.sessionExecutor)
  scope: sessionPool
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.sessionExecutor)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource serviceBusSender 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(serviceBus.id, identity.id, roles.serviceBusSender)
  scope: serviceBus
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.serviceBusSender)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource serviceBusReceiver 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(serviceBus.id, identity.id, roles.serviceBusReceiver)
  scope: serviceBus
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.serviceBusReceiver)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// KEDA's azure-servicebus scaler reads queue lengths through the management side of the
// namespace, which the Sender and Receiver roles do not cover.
resource serviceBusOwner 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(serviceBus.id, identity.id, roles.serviceBusOwner)
  scope: serviceBus
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.serviceBusOwner)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource tableContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, identity.id, roles.tableContributor)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.tableContributor)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource blobContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, identity.id, roles.blobContributor)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.blobContributor)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource acrPull 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(registry.id, identity.id, roles.acrPull)
  scope: registry
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.acrPull)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// Alert rules: failures, queue age, dead letters (docs/operations.md, "Dashboard and alerts").
module monitoring 'monitoring.bicep' = {
  name: 'monitoring'
  params: {
    prefix: prefix
    location: location
    workspaceId: logs.id
    serviceBusId: serviceBus.id
    alertEmail: alertEmail
  }
}

output apiUrl string = 'https://${api.properties.configuration.ingress.fqdn}'
output sessionPoolEndpoint string = sessionPool.properties.poolManagementEndpoint
output registryLoginServer string = registry.properties.loginServer
