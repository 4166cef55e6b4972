// Coding Engine on Azure: everything in the seed's table plus Service Bus and Storage, with every
// role assignment the apps need, so that no administrator step is left after a deployment.
// No keys or connection strings: the apps, the scaler and the registry pulls all use one
// user-assigned managed identity. Deployed by infra/deploy.sh, in two stages (deployApps=false,
// then true) so that the role assignments have propagated before the session pool pulls its
// image and the apps start (docs/azure.md, "Deploy").
//
// Every property is checked against the REST API specification of its API version
// (Azure/azure-rest-api-specs, specification/app/resource-manager/Microsoft.App/stable/2025-01-01)
// and Bicep's types for it (Azure/bicep-types-az, generated/app/microsoft.app/2025-01-01/types.md);
// nothing here is validated by a Bicep build on the machine that wrote it (docs/azure.md).

@description('Prefix of every resource name: a lower-case letter, then lower-case letters and digits, 3 to 11 characters (the session pool name must match ^[a-z][a-z0-9]*$).')
@minLength(3)
@maxLength(11)
param prefix string = 'codeeng'

@description('false: only what the role assignments need (identity, registry, environment, Service Bus, Storage) and the assignments; true: also the session pool and the apps.')
param deployApps bool = true

param location string = resourceGroup().location

@description('Image tag pushed by deploy.sh (the same for api, worker and session-image).')
param imageTag string

@description('Registry name; deploy.sh creates it first to push the images, then this template adopts it.')
param registryName string

// Sizing for a 200-person contest (docs/azure.md, "Sizing for a 200-person contest"): every
// judging holds exactly one session (parallel tests 1, a session answers one request and exits),
// so sessions in use never exceed the workers' judging slots.

@description('Sessions allocated at once across the pool: at least workerMaxReplicas * (workerSlots + 1), the + 1 being each worker\'s request kept for the interactive lane (coding-engine.worker.interactive-slots), plus room for sessions whose container is still exiting (about 10).')
param maxSessions int = 70

@description('Sessions kept started and unallocated: covers the judgings that start while the pool starts replacements (peak rate x container start time).')
param readySessions int = 15

@description('Seconds a session may live at most (lifecycle OnContainerExit): a safety net for a container that never exits; longer than the worker\'s session-pool-timeout (5 min) plus a start.')
param sessionMaxAliveSeconds int = 900

@description('Fewest worker replicas (during a contest, enough slots for the average load; between contests 1).')
param workerMinReplicas int = 2

@description('Most worker replicas.')
param workerMaxReplicas int = 10

@description('Submissions one worker replica judges at once, each in its own session.')
param workerSlots int = 5

@description('Active queue messages per worker replica before KEDA adds a replica: a replica takes workerSlots messages at once.')
param messagesPerWorker int = workerSlots

@description('Role definition id of the built-in role "Azure ContainerApps Session Executor", as the tenant names it; infra/deploy.sh looks it up by name (az role definition list --name ...).')
param sessionExecutorRoleId string

@description('The OpenTelemetry Collector (contrib) image run beside each worker to send its Prometheus metrics to Application Insights; empty: none.')
param otelCollectorImage string = 'otel/opentelemetry-collector-contrib:0.120.0'

@description('Most api replicas.')
param apiMaxReplicas int = 5

@description('Hex SHA-256 of the bootstrap admin key (docs/operations.md, "The first admin key"); empty: no admin until one is set.')
param adminKeySha256 string = ''

@description('Where Azure Monitor alerts are mailed; empty: no notification.')
param alertEmail string = ''

var queues = [ 'interactive', 'contest', 'regrade' ]
var tablePrefix = 'ce'

// Built-in role definition ids (the same in every tenant; Microsoft Learn, "Azure built-in roles").
// The Session Executor's id is not on that page: deploy.sh resolves it by the role's name.
var roles = {
  sessionExecutor: sessionExecutorRoleId // Azure ContainerApps Session Executor
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

// A workload-profiles environment: custom-container session pools need one ("Custom container
// session pools require a workload profiles Azure Container Apps environment", Microsoft Learn,
// "Use session pools in Azure Container Apps"). A Consumption-only environment has no
// workloadProfiles; the Consumption profile keeps the apps on per-second billing.
resource environment 'Microsoft.App/managedEnvironments@2025-01-01' = {
  name: '${prefix}-env'
  location: location
  properties: {
    workloadProfiles: [ { name: 'Consumption', workloadProfileType: 'Consumption' } ]
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

// One session per execution: a session answers one request and exits (CE_EXIT_AFTER_ANSWER), and
// with lifecycleType OnContainerExit the pool then destroys it (SessionPools.json 2025-01-01,
// LifecycleConfiguration), so every execution runs in its own Hyper-V container that no other
// submission ever sees (docs/azure.md, "The session model"). The name has no hyphen: the REST
// API's sessionPoolName pattern is ^[a-z][a-z0-9]*$ (3 to 63 characters).
resource sessionPool 'Microsoft.App/sessionPools@2025-01-01' = if (deployApps) {
  name: '${prefix}sessions'
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
        lifecycleType: 'OnContainerExit'
        maxAlivePeriodInSeconds: sessionMaxAliveSeconds
      }
    }
    // Untrusted code must not reach the internet, nor anything of ours.
    sessionNetworkConfiguration: { status: 'EgressDisabled' }
    // The identity pulls the image; the sessions themselves get no token for it ("None", the
    // default, stated: untrusted code runs there).
    managedIdentitySettings: [ { identity: identity.id, lifecycle: 'None' } ]
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
            { name: 'CE_SLOTS', value: '1' } // one execution per session
            { name: 'CE_EXIT_AFTER_ANSWER', value: 'true' }
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

// Container Apps at 2025-01-01: the scale rule's identity property exists from that version on
// (bicep-types-az generated/app/microsoft.app/2025-01-01/types.md, CustomScaleRule); at 2024-03-01
// Bicep only warns and the property is dropped, leaving KEDA without a credential.
resource api 'Microsoft.App/containerApps@2025-01-01' = if (deployApps) {
  name: '${prefix}-api'
  location: location
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identity.id}': {} }
  }
  // Started once the identity may use the queues and the account, so the first start succeeds.
  dependsOn: [ acrPull, serviceBusSender, serviceBusReceiver, serviceBusOwner, tableContributor, blobContributor ]
  properties: {
    environmentId: environment.id
    workloadProfileName: 'Consumption'
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
          // apiEnv's SPRING_PROFILES_ACTIVE=azure is the internet-facing profile: Piston needs a
          // key, JSON logs (docs/operations.md, "Access and keys").
          env: concat(apiEnv, [
            { name: 'PORT', value: '2000' }
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

// The worker's metrics: Container Apps does not scrape Prometheus, so an OpenTelemetry Collector
// beside each replica scrapes its fixed metrics port and sends the metrics to Application
// Insights (the environment's managed OpenTelemetry agent sends no metrics there: Microsoft
// Learn, "Collect and read OpenTelemetry data in Azure Container Apps"; the Application Insights
// Java agent does not see Spring Boot 4's Micrometer registry: microsoft/ApplicationInsights-Java, issue
// "Micrometer metrics not pushed to Application Insights after upgrade to Spring Boot 4.0.0").
var workerMetricsPort = 9464
// A multi-line Bicep string has no interpolation: ${env:...} is the collector's own expansion
// of its environment, and @PORT@ is replaced below.
var collectorConfig = replace('''receivers:
  prometheus:
    config:
      scrape_configs:
        - job_name: coding-engine-worker
          scrape_interval: 30s
          metrics_path: /actuator/prometheus
          static_configs:
            - targets: ['127.0.0.1:@PORT@']  # the worker's metrics listen on loopback only
exporters:
  azuremonitor:
    connection_string: ${env:APPLICATIONINSIGHTS_CONNECTION_STRING}
service:
  pipelines:
    metrics:
      receivers: [prometheus]
      exporters: [azuremonitor]
''', '@PORT@', string(workerMetricsPort))
var collector = empty(otelCollectorImage) ? [] : [
  {
    name: 'otel-collector'
    image: otelCollectorImage
    args: [ '--config=env:OTELCOL_CONFIG' ]
    resources: { cpu: json('0.25'), memory: '0.5Gi' }
    env: [
      { name: 'OTELCOL_CONFIG', value: collectorConfig }
      { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: appInsights.properties.ConnectionString }
    ]
  }
]

resource worker 'Microsoft.App/containerApps@2025-01-01' = if (deployApps) {
  name: '${prefix}-worker'
  location: location
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identity.id}': {} }
  }
  dependsOn: [ acrPull, serviceBusSender, serviceBusReceiver, serviceBusOwner, tableContributor, blobContributor, sessionExecutor ]
  properties: {
    environmentId: environment.id
    workloadProfileName: 'Consumption'
    configuration: {
      registries: [ { server: registry.properties.loginServer, identity: identity.id } ]
    }
    template: {
      containers: concat([
        {
          name: 'worker'
          image: '${registry.properties.loginServer}/worker:${imageTag}'
          resources: { cpu: json('0.5'), memory: '1Gi' }
          env: concat(workerEnv, [
            { name: 'CODINGENGINE_WORKER_SESSIONPOOLENDPOINT', value: sessionPool!.properties.poolManagementEndpoint }
            { name: 'CODINGENGINE_WORKER_SLOTS', value: string(workerSlots) }
            // One session per judging: its tests run one after another in that session.
            { name: 'CODINGENGINE_WORKER_PARALLELTESTS', value: '1' }
            { name: 'METRICS_PORT', value: string(workerMetricsPort) }
          ])
        }
      ], collector)
      scale: {
        minReplicas: workerMinReplicas
        maxReplicas: workerMaxReplicas
        // One rule per lane: KEDA adds a replica per messagesPerWorker active messages (KEDA's
        // azure-servicebus scaler: messageCount counts active messages). The scaler reads the
        // queues as the identity (the Data Owner role below: KEDA needs Manage rights to read
        // the counts, kedacore/keda-docs content/docs/2.x/scalers/azure-service-bus.md).
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
// They are all made in the first stage (deployApps=false), before the pool and the apps exist, so
// that they have propagated when the pool pulls its image and the worker first calls the pool.
// The Session Executor is therefore assigned on the resource group, which holds this one pool,
// rather than on the pool, which does not exist yet in that stage.
resource sessionExecutor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(resourceGroup().id, identity.id, roles.sessionExecutor)
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
// Where the worker's metrics go (the collector above); workspace-based, so they are in Log
// Analytics too. The connection string's instrumentation key is not a secret (Microsoft Learn,
// "Collect and read OpenTelemetry data in Azure Container Apps").
resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: '${prefix}-insights'
  location: location
  kind: 'other'
  properties: {
    Application_Type: 'other'
    WorkspaceResourceId: logs.id
  }
}

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

output apiUrl string = deployApps ? 'https://${api!.properties.configuration.ingress.fqdn}' : ''
output sessionPoolEndpoint string = deployApps ? sessionPool!.properties.poolManagementEndpoint : ''
output sessionPoolName string = '${prefix}sessions'
output registryLoginServer string = registry.properties.loginServer
output identityPrincipalId string = identity.properties.principalId
