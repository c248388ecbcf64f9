//! AWS WAF Classic resources.

use serde_json::Value;

crate::resource! {
    /// A global (CloudFront) WAF Classic web ACL (`AWS.WAF.WebACL`): `GetWebACL`
    /// (`WebACL`) with each rule merged with its `GetRule` output, plus
    /// `GetLoggingConfiguration` and Panther's common resource fields.
    pub struct WafWebAcl("AWS.WAF.WebACL") {
        "AccountId" => account_id: String,
        "Region" => region: String,
        "Arn" => arn: String,
        "Id" => id: String,
        "Name" => name: String,
        "Tags" => tags: Value,
        "ResourceId" => resource_id: String,
        "ResourceType" => resource_type: String,
        "TimeCreated" => time_created: String,
        "AssociatedResources" => associated_resources: Vec<String>,
        "DefaultAction" => default_action: WafAction,
        "LoggingConfiguration" => logging_configuration: WafLoggingConfiguration,
        "MetricName" => metric_name: String,
        "Rules" => rules: Vec<WafRule>,
        "WebACLArn" => web_acl_arn: String,
        "WebACLId" => web_acl_id: String,
    }
}

crate::resource! {
    /// A regional WAF Classic web ACL (`AWS.WAF.Regional.WebACL`): `GetWebACL`
    /// (`WebACL`) with each rule merged with its `GetRule` output, plus the
    /// resources it protects (`ListResourcesForWebACL`),
    /// `GetLoggingConfiguration` and Panther's common resource fields.
    pub struct WafRegionalWebAcl("AWS.WAF.Regional.WebACL") {
        "AccountId" => account_id: String,
        "Region" => region: String,
        "Arn" => arn: String,
        "Id" => id: String,
        "Name" => name: String,
        "Tags" => tags: Value,
        "ResourceId" => resource_id: String,
        "ResourceType" => resource_type: String,
        "TimeCreated" => time_created: String,
        "AssociatedResources" => associated_resources: Vec<String>,
        "DefaultAction" => default_action: WafAction,
        "LoggingConfiguration" => logging_configuration: WafLoggingConfiguration,
        "MetricName" => metric_name: String,
        "Rules" => rules: Vec<WafRule>,
        "WebACLArn" => web_acl_arn: String,
        "WebACLId" => web_acl_id: String,
    }
}

crate::object! {
    /// What a web ACL or rule does with a request (`WafAction`,
    /// `WafOverrideAction`).
    pub struct WafAction {
        "Type" => type_: String,
    }
}

crate::object! {
    /// A rule of a web ACL: its `ActivatedRule` merged with the `Rule` itself.
    pub struct WafRule {
        "Action" => action: WafAction,
        "ExcludedRules" => excluded_rules: Vec<WafExcludedRule>,
        "MetricName" => metric_name: String,
        "Name" => name: String,
        "OverrideAction" => override_action: WafAction,
        "Predicates" => predicates: Vec<WafPredicate>,
        "Priority" => priority: i64,
        "RuleId" => rule_id: String,
        "Type" => type_: String,
    }
}

crate::object! {
    /// A rule excluded from a rule group (`ExcludedRule`).
    pub struct WafExcludedRule {
        "RuleId" => rule_id: String,
    }
}

crate::object! {
    /// A condition of a rule (`Predicate`).
    pub struct WafPredicate {
        "DataId" => data_id: String,
        "Negated" => negated: bool,
        "Type" => type_: String,
    }
}

crate::object! {
    /// Where a web ACL's logs go (`LoggingConfiguration`).
    pub struct WafLoggingConfiguration {
        "LogDestinationConfigs" => log_destination_configs: Vec<String>,
        "RedactedFields" => redacted_fields: Vec<WafFieldToMatch>,
        "ResourceArn" => resource_arn: String,
    }
}

crate::object! {
    /// A request part redacted from logs (`FieldToMatch`).
    pub struct WafFieldToMatch {
        "Data" => data: String,
        "Type" => type_: String,
    }
}
