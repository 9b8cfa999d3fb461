// CinchFlows on Azure: a Flex Consumption function app (isolated worker, dotnet-isolated 10.0, Durable Functions on
// the Azure Storage backend of AzureWebJobsStorage), with its storage
// account, Service Bus namespace, monitoring and Key Vault. Every connection is identity-based through one
// user-assigned managed identity; secrets live only in Key Vault (set them after the deployment, see infra/README.md).
targetScope = 'resourceGroup'

metadata description = 'CinchFlows: call-center flows as an Azure Functions isolated-worker app with Durable Functions (Flex Consumption)'

@description('Azure region of every resource.')
param location string = resourceGroup().location

@description('Short name used in every resource name (lowercase letters and digits).')
@minLength(3)
@maxLength(11)
param appName string = 'cinchflows'

@description('Task hub of the Durable Task engine: prefix of its tables, queues and containers, and of the app\'s own tables (Durable:TaskHubName).')
@minLength(3)
@maxLength(31)
param taskHubName string = 'cinchflows'

@description('Where telephony commands are POSTed (Telephony:CommandsUrl); empty leaves commands off.')
param telephonyCommandsUrl string = ''

@description('Most instances the app scales out to.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Memory of one instance, in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Instances kept running for HTTP. The scale controller starts instances for Durable work and the queue on its own; one always-ready instance spares a medical-emergency webhook a cold start.')
@minValue(0)
@maxValue(10)
param alwaysReadyInstances int = 1

@description('Finished flows, webhook receipts, completed callback tasks and hints older than this are deleted (Retention:MaxAge, d.hh:mm:ss).')
param retentionMaxAge string = '30.00:00:00'

@description('Object id of a person or group that sets and rotates the secrets (Key Vault Secrets Officer); empty for none.')
param vaultOperatorObjectId string = ''

@description('Application (client) id of the Entra ID app registration people sign in with (infra/README.md, "Sign-in for people"). Empty: nobody signs in as a person, so API keys only read and nobody can act (claim, acknowledge, repair, terminate...).')
param entraClientId string = ''

@description('Directory (tenant) id of that app registration. Default: the tenant of this deployment.')
param entraTenantId string = tenant().tenantId

@description('Audience people\'s bearer tokens must be issued for (Identity:Audience). Default: the client id, the aud of v2 access tokens.')
param entraAudience string = entraClientId

@description('Service Bus topics (docs/api.md section 3) and the subscription of each topic\'s consumer.')
param topics topicSubscriptions[] = [
  { topic: 'agent-prompts', subscriptions: [ 'agent-desktop' ] }
  { topic: 'handoff-notes', subscriptions: [ 'customer-service' ] }
  { topic: 'claims-severity', subscriptions: [ 'claims' ] }
  { topic: 'escalations', subscriptions: [ 'escalation-desk' ] }
  { topic: 'supervisor-notifications', subscriptions: [ 'supervisors' ] }
  { topic: 'callback-tasks', subscriptions: [ 'crm' ] }
  { topic: 'ops-alerts', subscriptions: [ 'ops' ] }
]

@description('A Service Bus topic and the names of its subscriptions.')
type topicSubscriptions = {
  @description('Topic name.')
  topic: string

  @description('Subscription names, one per consumer.')
  subscriptions: string[]
}

var suffix = uniqueString(resourceGroup().id, appName)
var storageAccountName = take('${appName}${suffix}', 24)
var deploymentContainerName = 'app-package'
var functionAppName = '${appName}-${suffix}'
var keyVaultName = take('${appName}-kv-${suffix}', 24)

// People sign in only when an app registration is given: its issuer is the tenant's v2.0 endpoint.
var peopleSignIn = !empty(entraClientId)
var entraAuthority = '${environment().authentication.loginEndpoint}${entraTenantId}/v2.0'

// Built-in role definition ids (the same in every tenant).
var roles = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  serviceBusDataSender: '69a216fc-b8fb-44d8-bc22-1f3c2552a0a9'
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6'
  keyVaultSecretsOfficer: 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
}

// Key Vault secret names; the app settings reference them, nobody writes their values into a template.
var secrets = {
  webhook0: 'telephony-webhook-secret-0'
  webhook1: 'telephony-webhook-secret-1'
  command: 'telephony-command-secret'
  opsKey: 'access-ops-key'
  supervisorKey: 'access-supervisor-key'
}

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: '${appName}-id-${suffix}'
  location: location
}

resource logs 'Microsoft.OperationalInsights/workspaces@2025-02-01' = {
  name: '${appName}-logs-${suffix}'
  location: location
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: 30
  }
}

resource insights 'Microsoft.Insights/components@2020-02-02' = {
  name: '${appName}-ai-${suffix}'
  location: location
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logs.id
    // Telemetry is sent with the app's identity (Monitoring Metrics Publisher), not the instrumentation key.
    DisableLocalAuth: true
  }
}

resource storage 'Microsoft.Storage/storageAccounts@2025-01-01' = {
  name: storageAccountName
  location: location
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    // Identity only: no account keys, so no connection string can leak.
    allowSharedKeyAccess: false
    allowBlobPublicAccess: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    defaultToOAuthAuthentication: true
  }

  resource blobs 'blobServices' = {
    name: 'default'

    resource deployment 'containers' = {
      name: deploymentContainerName
    }
  }

  resource queues 'queueServices' = {
    name: 'default'

    resource callbackRequests 'queues' = {
      name: 'callback-requests'
    }

    resource callbackRequestsPoison 'queues' = {
      name: 'callback-requests-poison'
    }
  }

  resource tables 'tableServices' = {
    name: 'default'

    resource instances 'tables' = {
      name: '${taskHubName}Instances'
    }
  }
}

resource serviceBus 'Microsoft.ServiceBus/namespaces@2026-01-01' = {
  name: '${appName}-sb-${suffix}'
  location: location
  sku: {
    name: 'Standard'
    tier: 'Standard'
  }
  properties: {
    // Entra ID only: the app sends with its identity (Service Bus Data Sender), consumers with theirs.
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
  }
}

resource serviceBusTopics 'Microsoft.ServiceBus/namespaces/topics@2026-01-01' = [
  for item in topics: {
    parent: serviceBus
    name: item.topic
    properties: {
      // The app sets message-id = {flowId}:{step}, the same on every retry: repeats within the window are dropped.
      requiresDuplicateDetection: true
      duplicateDetectionHistoryTimeWindow: 'PT1H'
      defaultMessageTimeToLive: 'P14D'
      maxSizeInMegabytes: 1024
    }
  }
]

resource serviceBusSubscriptions 'Microsoft.ServiceBus/namespaces/topics/subscriptions@2026-01-01' = [
  for pair in flatten(map(topics, t => map(t.subscriptions, s => { topic: t.topic, subscription: s }))): {
    name: '${serviceBus.name}/${pair.topic}/${pair.subscription}'
    properties: {
      // Nothing expires or fails silently: it waits in the subscription's dead-letter queue for someone to look.
      deadLetteringOnMessageExpiration: true
      deadLetteringOnFilterEvaluationExceptions: true
      maxDeliveryCount: 10
      lockDuration: 'PT1M'
      defaultMessageTimeToLive: 'P14D'
    }
    dependsOn: [
      serviceBusTopics
    ]
  }
]

resource vault 'Microsoft.KeyVault/vaults@2026-02-01' = {
  name: keyVaultName
  location: location
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
  }
}

resource plan 'Microsoft.Web/serverfarms@2025-03-01' = {
  name: '${appName}-plan-${suffix}'
  location: location
  kind: 'functionapp'
  sku: {
    tier: 'FlexConsumption'
    name: 'FC1'
  }
  properties: {
    reserved: true
  }
}

resource app 'Microsoft.Web/sites@2025-03-01' = {
  name: functionAppName
  location: location
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identity.id
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identity.id
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
        alwaysReady: alwaysReadyInstances > 0
          ? [
              {
                name: 'http'
                instanceCount: alwaysReadyInstances
              }
            ]
          : []
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      appSettings: [
        // The Functions host's own storage, the Durable extension's task hub and the app's tables and queues: one
        // identity-based connection, no keys (blob, queue and table data roles below).
        { name: 'AzureWebJobsStorage__accountName', value: storage.name }
        { name: 'AzureWebJobsStorage__credential', value: 'managedidentity' }
        { name: 'AzureWebJobsStorage__clientId', value: identity.properties.clientId }
        { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: insights.properties.ConnectionString }
        { name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING', value: 'ClientId=${identity.properties.clientId};Authorization=AAD' }
        { name: 'Durable__TaskHubName', value: taskHubName }
        { name: 'CallbackRequests__QueueName', value: 'callback-requests' }
        { name: 'Retention__MaxAge', value: retentionMaxAge }
        { name: 'Notifications__Transport', value: 'service-bus' }
        { name: 'Notifications__ServiceBus__FullyQualifiedNamespace', value: split(replace(serviceBus.properties.serviceBusEndpoint, 'https://', ''), ':')[0] }
        { name: 'Notifications__ServiceBus__ClientId', value: identity.properties.clientId }
        { name: 'Telephony__CommandsUrl', value: telephonyCommandsUrl }
        // Secrets: Key Vault references, resolved with the app's identity (Key Vault Secrets User).
        { name: 'Telephony__WebhookSecrets__0', value: '@Microsoft.KeyVault(VaultName=${vault.name};SecretName=${secrets.webhook0})' }
        { name: 'Telephony__WebhookSecrets__1', value: '@Microsoft.KeyVault(VaultName=${vault.name};SecretName=${secrets.webhook1})' }
        { name: 'Telephony__CommandSecret', value: '@Microsoft.KeyVault(VaultName=${vault.name};SecretName=${secrets.command})' }
        { name: 'Access__Keys__0__key', value: '@Microsoft.KeyVault(VaultName=${vault.name};SecretName=${secrets.opsKey})' }
        { name: 'Access__Keys__0__role', value: 'ops' }
        { name: 'Access__Keys__1__key', value: '@Microsoft.KeyVault(VaultName=${vault.name};SecretName=${secrets.supervisorKey})' }
        { name: 'Access__Keys__1__role', value: 'supervisor' }
        // People: bearer tokens from Entra ID, and the ops page signed in by App Service (authSettings below); all
        // empty (and off) without an app registration. The app reads X-MS-CLIENT-PRINCIPAL only with the last one on,
        // and only App Service's authentication, on here too, keeps that header from being anyone's to write.
        { name: 'Identity__Authority', value: peopleSignIn ? entraAuthority : '' }
        { name: 'Identity__Audience', value: peopleSignIn ? entraAudience : '' }
        { name: 'Identity__AppServiceAuthentication', value: peopleSignIn ? 'true' : 'false' }
      ]
    }
  }
  dependsOn: [
    // The host reads its storage and secrets at start: the roles come first.
    blobOwner
    queueContributor
    tableContributor
    secretsUser
  ]
}

// App Service built-in authentication (Easy Auth) signs people in to the ops page with Entra ID: the OpenID Connect ID
// token by form_post, so no client secret to store or rotate, and no token store (on Flex it would need a blob SAS URL,
// which the storage account's allowSharedKeyAccess: false rules out). Anonymous requests still reach the app (webhooks,
// health, API keys, bearer tokens): the app's own policies decide, with the signed-in person from X-MS-CLIENT-PRINCIPAL.
resource authSettings 'Microsoft.Web/sites/config@2025-03-01' = if (peopleSignIn) {
  parent: app
  name: 'authsettingsV2'
  properties: {
    platform: {
      enabled: true
    }
    globalValidation: {
      requireAuthentication: false
      unauthenticatedClientAction: 'AllowAnonymous'
    }
    identityProviders: {
      azureActiveDirectory: {
        enabled: true
        registration: {
          openIdIssuer: entraAuthority
          clientId: entraClientId
        }
        validation: {
          allowedAudiences: union([entraAudience], ['api://${entraClientId}'])
        }
      }
    }
    login: {
      tokenStore: {
        enabled: false
      }
    }
    httpSettings: {
      requireHttps: true
    }
  }
}

// Least privilege for the app's identity: data roles on its own account, send-only on Service Bus, read-only on secrets.
// Blob Data Owner (not Contributor) is what the Functions host needs for its keys and leases on AzureWebJobsStorage.
resource blobOwner 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, identity.id, roles.storageBlobDataOwner)
  scope: storage
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataOwner)
  }
}

resource queueContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, identity.id, roles.storageQueueDataContributor)
  scope: storage
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageQueueDataContributor)
  }
}

resource tableContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, identity.id, roles.storageTableDataContributor)
  scope: storage
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageTableDataContributor)
  }
}

resource serviceBusSender 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(serviceBus.id, identity.id, roles.serviceBusDataSender)
  scope: serviceBus
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.serviceBusDataSender)
  }
}

resource secretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, identity.id, roles.keyVaultSecretsUser)
  scope: vault
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsUser)
  }
}

resource metricsPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(insights.id, identity.id, roles.monitoringMetricsPublisher)
  scope: insights
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.monitoringMetricsPublisher)
  }
}

resource secretsOfficer 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(vaultOperatorObjectId)) {
  name: guid(vault.id, vaultOperatorObjectId, roles.keyVaultSecretsOfficer)
  scope: vault
  properties: {
    principalId: vaultOperatorObjectId
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsOfficer)
  }
}

@description('The function app\'s name (for az functionapp commands).')
output functionAppName string = app.name

@description('The app\'s base URL.')
output functionAppUrl string = 'https://${app.properties.defaultHostName}'

@description('The redirect URI to register on the Entra app registration for people\'s sign-in (web platform).')
output signInRedirectUri string = 'https://${app.properties.defaultHostName}/.auth/login/aad/callback'

@description('The Key Vault that holds the webhook, command and API-key secrets.')
output keyVaultName string = vault.name

@description('The storage account (tables, queues, deployment container).')
output storageAccountName string = storage.name

@description('The Service Bus namespace the notifications go to.')
output serviceBusNamespace string = serviceBus.name
