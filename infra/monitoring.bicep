// Azure Monitor alert rules for Coding Engine (referenced from main.bicep; docs/operations.md, "Dashboard and alerts").
// Failures: IE verdicts and failed runs in the workers' logs; queue age: the time in queue the
// workers log for each judging and each Piston execute, per lane; dead letters: the Service Bus dead-letter count of any lane.
// Not validated here (no az/bicep CLI on the build machine).

@description('Prefix of every resource name.')
param prefix string

param location string

@description('The Log Analytics workspace the Container Apps environment logs to.')
param workspaceId string

@description('The Service Bus namespace with the lanes.')
param serviceBusId string

@description('Where alerts are mailed; empty: rules fire without notifying anyone (see them in the portal).')
param alertEmail string = ''

@description('Alert when a submission waited longer than this in the queue (seconds, p95 over 5 minutes).')
param maxQueueAgeSeconds int = 120

resource actionGroup 'Microsoft.Insights/actionGroups@2023-01-01' = if (!empty(alertEmail)) {
  name: '${prefix}-oncall'
  location: 'global'
  properties: {
    groupShortName: 'ce-oncall'
    enabled: true
    emailReceivers: [ { name: 'oncall', emailAddress: alertEmail, useCommonAlertSchema: true } ]
  }
}

var actions = empty(alertEmail) ? [] : [ actionGroup.id ]

resource deadLetters 'Microsoft.Insights/metricAlerts@2018-03-01' = {
  name: '${prefix}-dead-letters'
  location: 'global'
  properties: {
    description: 'A submission or run was dead-lettered: it crashed workers max-delivery-count times.'
    severity: 2
    enabled: true
    scopes: [ serviceBusId ]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT5M'
    criteria: {
      'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
      allOf: [ {
        criterionType: 'StaticThresholdCriterion'
        name: 'deadlettered'
        metricName: 'DeadletteredMessages'
        metricNamespace: 'Microsoft.ServiceBus/namespaces'
        operator: 'GreaterThan'
        threshold: 0
        timeAggregation: 'Maximum'
      } ]
    }
    actions: [for a in actions: { actionGroupId: a }]
  }
}

resource failures 'Microsoft.Insights/scheduledQueryRules@2023-03-15-preview' = {
  name: '${prefix}-failures'
  location: location
  properties: {
    description: 'Internal errors (IE verdicts, failed runs) in the workers: the sandbox or the engine fails.'
    severity: 1
    enabled: true
    scopes: [ workspaceId ]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT10M'
    criteria: {
      allOf: [ {
        // the worker logs "judged <id> round <r>: IE (<n> tests)" and "execute <id> failed" (WorkerPipelineTest
        // matches these two patterns against the worker's real log lines)
        query: 'ContainerAppConsoleLogs_CL | where ContainerAppName_s endswith "-worker" | where Log_s matches regex @"judged \\S+ round \\d+: IE \\(" or Log_s matches regex @"execute \\S+ failed"'
        timeAggregation: 'Count'
        operator: 'GreaterThan'
        threshold: 5
        failingPeriods: { numberOfEvaluationPeriods: 1, minFailingPeriodsToAlert: 1 }
      } ]
    }
    actions: { actionGroups: actions }
  }
}

resource queueAge 'Microsoft.Insights/scheduledQueryRules@2023-03-15-preview' = {
  name: '${prefix}-queue-age'
  location: location
  properties: {
    description: 'Submissions wait too long for a worker: scale limits reached or workers failing.'
    severity: 2
    enabled: true
    scopes: [ workspaceId ]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT5M'
    criteria: {
      allOf: [ {
        // the worker logs "judging <id> round <r> attempt <a> on lane <lane> after <ms> ms in queue" and
        // "executing <id> on lane interactive after <ms> ms in queue"; the alert fires for any lane
        // (WorkerPipelineTest matches these two patterns against the worker's real log lines)
        query: 'ContainerAppConsoleLogs_CL | where ContainerAppName_s endswith "-worker" | extend lane = extract(@"on lane (\\w+) after -?\\d+ ms in queue", 1, Log_s), waitedMs = tolong(extract(@"on lane \\w+ after (-?\\d+) ms in queue", 1, Log_s)) | where isnotnull(waitedMs) | summarize p95 = percentile(waitedMs, 95) by lane | where p95 > ${maxQueueAgeSeconds * 1000}'
        timeAggregation: 'Count'
        operator: 'GreaterThan'
        threshold: 0
        failingPeriods: { numberOfEvaluationPeriods: 1, minFailingPeriodsToAlert: 1 }
      } ]
    }
    actions: { actionGroups: actions }
  }
}
