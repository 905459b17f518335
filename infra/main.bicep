// Entra Group Requests in Azure: App Service (Linux, Node 20) running the bot, Azure Storage tables
// for the requests, Key Vault for the secrets the app settings reference, and an Azure Bot with
// the Microsoft Teams channel. See docs/deploy.md for the app registration and the order of steps.

@description('Lowercase letters and digits; names the resources (the web app is <base>-<unique suffix>).')
@minLength(3)
@maxLength(20)
param resourceBaseName string

@description('Where the App Service plan, web app, storage account and key vault go.')
param location string = resourceGroup().location

@description('delegated: groups are created on behalf of the approving admin (Teams SSO + on-behalf-of). app: with the bot\'s own application permissions, through a user-assigned managed identity.')
@allowed(['delegated', 'app'])
param graphAuthMode string = 'delegated'

@description('The Microsoft Entra tenant the bot serves.')
param tenantId string = tenant().tenantId

@description('Object id of the Entra group whose members may approve requests.')
param approversGroupId string

@description('Delegated mode: application (client) id of the bot\'s single-tenant app registration. Ignored in app mode, where the managed identity is the bot.')
param botAppId string = ''

@description('Delegated mode: a client secret of that app registration. Kept in Key Vault and in the bot\'s OAuth connection.')
@secure()
param botAppPassword string = ''

@description('Name of the Azure Bot OAuth connection Teams SSO uses (delegated mode).')
param ssoConnectionName string = 'graph-sso'

@description('Optional: the approvals channel\'s conversation id, if you set it here rather than by saying "use this channel for approvals" in Teams.')
param approvalsChannelId string = ''

@description('Optional, with approvalsChannelId: the service URL of that channel\'s conversation.')
param approvalsServiceUrl string = ''

@description('Prefix of the two tables the bot creates in the storage account.')
param tablePrefix string = 'GroupRequests'

@allowed(['fatal', 'error', 'warn', 'info', 'debug', 'trace'])
param logLevel string = 'info'

@description('App Service plan size; Basic (B1) or above keeps the bot always on.')
param appServicePlanSku string = 'B1'

@description('Bot instances; they share one store, so more than one is safe.')
@minValue(1)
param instanceCount int = 1

@allowed(['F0', 'S1'])
param botSku string = 'F0'

var isDelegated = graphAuthMode == 'delegated'
var uniqueSuffix = uniqueString(resourceGroup().id, resourceBaseName)
var webAppName = toLower('${resourceBaseName}-${uniqueSuffix}')
var botDomain = '${webAppName}.azurewebsites.net'
var ssoResourceUri = 'api://${botDomain}/botid-${botAppId}'
var keyVaultName = 'kv${uniqueSuffix}'
var storageSecretName = 'storage-connection-string'
var botPasswordSecretName = 'bot-password'
// Built-in role "Key Vault Secrets User": read secret values, nothing else.
var keyVaultSecretsUserRoleId = '4633458b-17de-408a-b874-0445c86b69e6'

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: '${resourceBaseName}-identity'
  location: location
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: 'st${uniqueSuffix}'
  location: location
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    allowBlobPublicAccess: false
    // The store authenticates with the account key from its connection string.
    allowSharedKeyAccess: true
  }
}

resource keyVault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: keyVaultName
  location: location
  properties: {
    tenantId: tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 7
  }
}

resource storageSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: keyVault
  name: storageSecretName
  properties: {
    value: 'DefaultEndpointsProtocol=https;AccountName=${storage.name};AccountKey=${storage.listKeys().keys[0].value};EndpointSuffix=${environment().suffixes.storage}'
  }
}

resource botPasswordSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (isDelegated) {
  parent: keyVault
  name: botPasswordSecretName
  properties: {
    value: botAppPassword
  }
}

resource secretsReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: keyVault
  name: guid(keyVault.id, identity.id, keyVaultSecretsUserRoleId)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUserRoleId)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: '${resourceBaseName}-plan'
  location: location
  kind: 'linux'
  sku: {
    name: appServicePlanSku
    capacity: instanceCount
  }
  properties: {
    reserved: true
  }
}

// App settings, named as src/config.ts reads them.
var settingsForEveryMode = [
  { name: 'HOST', value: '0.0.0.0' }
  { name: 'PORT', value: '8080' }
  { name: 'WEBSITES_PORT', value: '8080' }
  { name: 'SCM_DO_BUILD_DURING_DEPLOYMENT', value: 'true' }
  // Express and the libraries skip development-only work (and never render error pages with stacks).
  { name: 'NODE_ENV', value: 'production' }
  // NODE_ENV=production would make the deployment's npm install omit devDependencies, and the
  // build (TypeScript) needs them; node_modules holds them, the running bot never loads them.
  { name: 'NPM_CONFIG_INCLUDE', value: 'dev' }
  { name: 'LOG_LEVEL', value: logLevel }
  { name: 'TENANT_ID', value: tenantId }
  { name: 'APPROVERS_GROUP_ID', value: approversGroupId }
  { name: 'GRAPH_AUTH_MODE', value: graphAuthMode }
  { name: 'STORE', value: 'azureTables' }
  { name: 'AZURE_STORAGE_CONNECTION_STRING', value: '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=${storageSecretName})' }
  { name: 'AZURE_TABLE_PREFIX', value: tablePrefix }
]

// The bot is the single-tenant app registration; Graph calls are made on behalf of the approver.
var settingsForDelegatedMode = [
  { name: 'BOT_ID', value: botAppId }
  { name: 'BOT_PASSWORD', value: '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=${botPasswordSecretName})' }
  { name: 'BOT_TYPE', value: 'SingleTenant' }
  { name: 'GRAPH_CLIENT_ID', value: botAppId }
  { name: 'GRAPH_CLIENT_SECRET', value: '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=${botPasswordSecretName})' }
  { name: 'SSO_CONNECTION_NAME', value: ssoConnectionName }
  { name: 'SSO_RESOURCE_URI', value: ssoResourceUri }
]

// The managed identity is both the bot and the Graph caller: no secret anywhere.
var settingsForAppOnlyMode = [
  { name: 'BOT_ID', value: identity.properties.clientId }
  { name: 'BOT_TYPE', value: 'UserAssignedMSI' }
  { name: 'MANAGED_IDENTITY_CLIENT_ID', value: identity.properties.clientId }
]

var approvalsChannelSettings = empty(approvalsChannelId) ? [] : [
  { name: 'APPROVALS_CHANNEL_ID', value: approvalsChannelId }
  { name: 'APPROVALS_SERVICE_URL', value: approvalsServiceUrl }
]

resource webApp 'Microsoft.Web/sites@2024-04-01' = {
  name: webAppName
  location: location
  kind: 'app,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    clientAffinityEnabled: false
    keyVaultReferenceIdentity: identity.id
    siteConfig: {
      linuxFxVersion: 'NODE|20-lts'
      appCommandLine: 'node dist/src/index.js'
      alwaysOn: true
      healthCheckPath: '/healthz'
      ftpsState: 'Disabled'
      minTlsVersion: '1.2'
      appSettings: concat(settingsForEveryMode, isDelegated ? settingsForDelegatedMode : settingsForAppOnlyMode, approvalsChannelSettings)
    }
  }
  // Key Vault references are resolved when the app starts: the secrets and the right to read them come first.
  dependsOn: [
    secretsReader
    storageSecret
    botPasswordSecret
  ]
}

resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: webAppName
  location: 'global'
  kind: 'azurebot'
  sku: {
    name: botSku
  }
  properties: {
    displayName: 'Entra Group Requests'
    endpoint: 'https://${botDomain}/api/messages'
    msaAppType: isDelegated ? 'SingleTenant' : 'UserAssignedMSI'
    msaAppId: isDelegated ? botAppId : identity.properties.clientId
    msaAppTenantId: tenantId
    msaAppMSIResourceId: isDelegated ? '' : identity.id
  }
}

resource teamsChannel 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
    properties: {
      isEnabled: true
    }
  }
}

// Teams SSO: the token exchange URL is the Application ID URI in the manifest's webApplicationInfo.
resource ssoConnection 'Microsoft.BotService/botServices/connections@2022-09-15' = if (isDelegated) {
  parent: bot
  name: ssoConnectionName
  location: 'global'
  properties: {
    serviceProviderDisplayName: 'Azure Active Directory v2'
    serviceProviderId: '30dd229c-58e3-4a48-bdfd-91ec48eb906c'
    clientId: botAppId
    clientSecret: botAppPassword
    scopes: 'openid profile offline_access User.Read Group.ReadWrite.All GroupMember.ReadWrite.All User.Read.All'
    parameters: [
      { key: 'tenantID', value: tenantId }
      { key: 'tokenExchangeUrl', value: ssoResourceUri }
    ]
  }
}

// Named as the env/.env.<environment> variables they fill.
output BOT_ID string = isDelegated ? botAppId : identity.properties.clientId
output BOT_DOMAIN string = botDomain
output BOT_ENDPOINT string = 'https://${botDomain}'
output SSO_RESOURCE_URI string = isDelegated ? ssoResourceUri : ''
output AZURE_WEB_APP_NAME string = webApp.name
output AZURE_WEB_APP_RESOURCE_ID string = webApp.id
output AZURE_KEY_VAULT_NAME string = keyVault.name
output MANAGED_IDENTITY_PRINCIPAL_ID string = identity.properties.principalId
