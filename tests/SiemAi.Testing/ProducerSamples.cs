namespace SiemAi.Testing;

/// <summary>
/// Bodies as Microsoft Sentinel and IBM QRadar send them, written from their public documentation (Sentinel's
/// playbook incident trigger and incident resource; QRadar's <c>GET /api/siem/offenses</c>); ids, names and
/// addresses are made up. <c>MARK</c> is replaced per test so each opens its own incident.
/// </summary>
public static class ProducerSamples
{
    /// <summary>What a Sentinel automation rule hands its playbook (Logic App trigger "Microsoft Sentinel incident").</summary>
    public const string SentinelIncident = """
        {
          "eventUniqueId": "5f3c2a1e-8d4b-4c7e-9a0f-1b2c3d4e5f60",
          "objectSchemaType": "Incident",
          "objectEventType": "Create",
          "workspaceInfo": {"SubscriptionId": "00000000-1111-2222-3333-444444444444", "ResourceGroupName": "rg-soc", "WorkspaceName": "law-soc-prod"},
          "workspaceId": "9a8b7c6d-5e4f-4a3b-2c1d-0e9f8a7b6c5d",
          "object": {
            "id": "/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/rg-soc/providers/Microsoft.OperationalInsights/workspaces/law-soc-prod/providers/Microsoft.SecurityInsights/Incidents/MARK-4d2e-9f1a-7b3c5d6e8f90",
            "name": "MARK-4d2e-9f1a-7b3c5d6e8f90",
            "etag": "\"0300c5a1-0000-0d00-0000-65e1a2b30000\"",
            "type": "Microsoft.SecurityInsights/Incidents",
            "properties": {
              "title": "Brute force attack against Linux host MARK",
              "description": "Identifies repeated failed SSH logins from one address followed by a success.",
              "severity": "High",
              "status": "New",
              "owner": {"objectId": null, "email": null, "assignedTo": null, "userPrincipalName": null},
              "labels": [{"labelName": "ssh", "labelType": "User"}],
              "firstActivityTimeUtc": "2025-03-01T09:55:12.345Z",
              "lastActivityTimeUtc": "2025-03-01T10:00:03.2Z",
              "lastModifiedTimeUtc": "2025-03-01T10:02:41.52Z",
              "createdTimeUtc": "2025-03-01T10:02:41.52Z",
              "incidentNumber": 4711,
              "additionalData": {"alertsCount": 1, "bookmarksCount": 0, "commentsCount": 0, "alertProductNames": ["Azure Sentinel"], "tactics": ["CredentialAccess"], "techniques": ["T1110"]},
              "relatedAnalyticRuleIds": ["/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/rg-soc/providers/Microsoft.OperationalInsights/workspaces/law-soc-prod/providers/Microsoft.SecurityInsights/alertRules/8e0c7b6a-1f2d-4c3b-9a8e-7d6c5b4a3f21"],
              "incidentUrl": "https://portal.azure.com/#asset/Microsoft_Azure_Security_Insights/Incident/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/rg-soc/providers/Microsoft.OperationalInsights/workspaces/law-soc-prod/providers/Microsoft.SecurityInsights/Incidents/MARK-4d2e-9f1a-7b3c5d6e8f90",
              "providerName": "Azure Sentinel",
              "providerIncidentId": "4711",
              "alerts": [
                {"id": "/subscriptions/.../Entities/1c2d3e4f", "name": "1c2d3e4f", "type": "Microsoft.SecurityInsights/Entities", "kind": "SecurityAlert",
                 "properties": {"alertDisplayName": "SSH brute force followed by success", "alertType": "8e0c7b6a_1f2d", "severity": "High", "status": "New",
                  "productName": "Azure Sentinel", "startTimeUtc": "2025-03-01T09:55:12.345Z", "endTimeUtc": "2025-03-01T10:00:03.2Z", "tactics": ["CredentialAccess"],
                  "friendlyName": "SSH brute force followed by success"}}
              ],
              "bookmarks": [],
              "relatedEntities": [
                {"id": "/subscriptions/.../Entities/a1", "name": "a1", "type": "Microsoft.SecurityInsights/Entities", "kind": "Host",
                 "properties": {"hostName": "HOST", "osFamily": "Linux", "friendlyName": "HOST"}},
                {"id": "/subscriptions/.../Entities/a2", "name": "a2", "type": "Microsoft.SecurityInsights/Entities", "kind": "Account",
                 "properties": {"accountName": "deploy", "friendlyName": "deploy"}},
                {"id": "/subscriptions/.../Entities/a3", "name": "a3", "type": "Microsoft.SecurityInsights/Entities", "kind": "Ip",
                 "properties": {"address": "203.0.113.45", "friendlyName": "203.0.113.45"}}
              ],
              "comments": []
            }
          }
        }
        """;

    /// <summary>One offense as <c>GET /api/siem/offenses/{id}</c> returns it (QRadar 7.5, API 17).</summary>
    public const string QRadarOffense = """
        {
          "id": OFFENSE,
          "description": "SSH brute force MARK\n containing Authentication Failed\n",
          "assigned_to": null,
          "categories": ["SSH Login Failed", "Authentication Failed"],
          "category_count": 2,
          "policy_category_count": 0,
          "security_category_count": 2,
          "close_time": null,
          "closing_user": null,
          "closing_reason_id": null,
          "credibility": 3,
          "relevance": 5,
          "severity": 8,
          "magnitude": 6,
          "destination_networks": ["Net-10-172-192.Net_10_0_0_0"],
          "source_network": "other",
          "device_count": 1,
          "event_count": 212,
          "flow_count": 0,
          "inactive": false,
          "last_updated_time": 1740823203000,
          "last_persisted_time": 1740823203000,
          "first_persisted_time": 1740822912000,
          "local_destination_count": 1,
          "remote_destination_count": 0,
          "source_count": 1,
          "username_count": 1,
          "offense_source": "203.0.113.45",
          "offense_type": 0,
          "follow_up": false,
          "protected": false,
          "status": "OPEN",
          "start_time": 1740822912000,
          "domain_id": 0,
          "source_address_ids": [17],
          "local_destination_address_ids": [4],
          "log_sources": [{"id": 112, "name": "LinuxServer @ HOST", "type_id": 11, "type_name": "LinuxServer"}],
          "rules": [{"id": 100211, "type": "CRE_RULE"}]
        }
        """;

    public static string Fill(string sample, string mark, string host, long offense = 0) =>
        sample.Replace("MARK", mark, StringComparison.Ordinal)
            .Replace("HOST", host, StringComparison.Ordinal)
            .Replace("OFFENSE", offense.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
}
