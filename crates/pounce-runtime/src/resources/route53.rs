//! Amazon Route 53 resources.

use serde_json::Value;

crate::resource! {
    /// A Route 53 hosted zone (`AWS.Route53.HostedZone`): `GetHostedZone`
    /// (`HostedZone`, `DelegationSet`, `VPCs`) plus its query logging
    /// configurations (`ListQueryLoggingConfigs`) and record sets
    /// (`ListResourceRecordSets`), with Panther's common resource fields.
    pub struct Route53HostedZone("AWS.Route53.HostedZone") {
        "AccountId" => account_id: String,
        "Region" => region: String,
        "Arn" => arn: String,
        "Id" => id: String,
        "Name" => name: String,
        "Tags" => tags: Value,
        "ResourceId" => resource_id: String,
        "ResourceType" => resource_type: String,
        "TimeCreated" => time_created: String,
        "CallerReference" => caller_reference: String,
        "Config" => config: HostedZoneConfig,
        "DelegationSet" => delegation_set: DelegationSet,
        "LinkedService" => linked_service: LinkedService,
        "QueryLoggingConfigs" => query_logging_configs: Vec<QueryLoggingConfig>,
        "ResourceRecordSetCount" => resource_record_set_count: i64,
        "ResourceRecordSets" => resource_record_sets: Vec<ResourceRecordSet>,
        "VPCs" => vpcs: Vec<HostedZoneVpc>,
    }
}

crate::object! {
    /// The comment and privacy of a hosted zone (`HostedZoneConfig`).
    pub struct HostedZoneConfig {
        "Comment" => comment: String,
        "PrivateZone" => private_zone: bool,
    }
}

crate::object! {
    /// The name servers of a hosted zone (`DelegationSet`).
    pub struct DelegationSet {
        "CallerReference" => caller_reference: String,
        "Id" => id: String,
        "NameServers" => name_servers: Vec<String>,
    }
}

crate::object! {
    /// The service that created a hosted zone (`LinkedService`).
    pub struct LinkedService {
        "Description" => description: String,
        "ServicePrincipal" => service_principal: String,
    }
}

crate::object! {
    /// A DNS query logging configuration (`QueryLoggingConfig`).
    pub struct QueryLoggingConfig {
        "CloudWatchLogsLogGroupArn" => cloud_watch_logs_log_group_arn: String,
        "HostedZoneId" => hosted_zone_id: String,
        "Id" => id: String,
    }
}

crate::object! {
    /// A record set of a hosted zone (`ResourceRecordSet`).
    pub struct ResourceRecordSet {
        "AliasTarget" => alias_target: AliasTarget,
        "CidrRoutingConfig" => cidr_routing_config: CidrRoutingConfig,
        "Failover" => failover: String,
        "GeoLocation" => geo_location: GeoLocation,
        "HealthCheckId" => health_check_id: String,
        "MultiValueAnswer" => multi_value_answer: bool,
        "Name" => name: String,
        "Region" => region: String,
        "ResourceRecords" => resource_records: Vec<ResourceRecord>,
        "SetIdentifier" => set_identifier: String,
        "TTL" => ttl: i64,
        "TrafficPolicyInstanceId" => traffic_policy_instance_id: String,
        "Type" => type_: String,
        "Weight" => weight: i64,
    }
}

crate::object! {
    /// The target of an alias record (`AliasTarget`).
    pub struct AliasTarget {
        "DNSName" => dns_name: String,
        "EvaluateTargetHealth" => evaluate_target_health: bool,
        "HostedZoneId" => hosted_zone_id: String,
    }
}

crate::object! {
    /// The CIDR collection location of a record (`CidrRoutingConfig`).
    pub struct CidrRoutingConfig {
        "CollectionId" => collection_id: String,
        "LocationName" => location_name: String,
    }
}

crate::object! {
    /// The location of a geolocation record (`GeoLocation`).
    pub struct GeoLocation {
        "ContinentCode" => continent_code: String,
        "CountryCode" => country_code: String,
        "SubdivisionCode" => subdivision_code: String,
    }
}

crate::object! {
    /// A value of a record set (`ResourceRecord`).
    pub struct ResourceRecord {
        "Value" => value: String,
    }
}

crate::object! {
    /// A VPC associated with a private hosted zone (`VPC`).
    pub struct HostedZoneVpc {
        "VPCId" => vpc_id: String,
        "VPCRegion" => vpc_region: String,
    }
}

crate::resource! {
    /// A domain registered with Route 53 (`AWS.Route53Domains`):
    /// `ListDomains` (`DomainSummary`) plus `GetDomainDetail`, with Panther's
    /// common resource fields.
    pub struct Route53Domain("AWS.Route53Domains") {
        "AccountId" => account_id: String,
        "Region" => region: String,
        "Arn" => arn: String,
        "Id" => id: String,
        "Name" => name: String,
        "Tags" => tags: Value,
        "ResourceId" => resource_id: String,
        "ResourceType" => resource_type: String,
        "TimeCreated" => time_created: String,
        "AbuseContactEmail" => abuse_contact_email: String,
        "AbuseContactPhone" => abuse_contact_phone: String,
        "AdminContact" => admin_contact: DomainContact,
        "AdminPrivacy" => admin_privacy: bool,
        "AutoRenew" => auto_renew: bool,
        "BillingContact" => billing_contact: DomainContact,
        "BillingPrivacy" => billing_privacy: bool,
        "CreationDate" => creation_date: String,
        "DnsSec" => dns_sec: String,
        "DnssecKeys" => dnssec_keys: Vec<DnssecKey>,
        "DomainName" => domain_name: String,
        "ExpirationDate" => expiration_date: String,
        "Expiry" => expiry: String,
        "Nameservers" => nameservers: Vec<DomainNameserver>,
        "RegistrantContact" => registrant_contact: DomainContact,
        "RegistrantPrivacy" => registrant_privacy: bool,
        "RegistrarName" => registrar_name: String,
        "RegistrarUrl" => registrar_url: String,
        "RegistryDomainId" => registry_domain_id: String,
        "Reseller" => reseller: String,
        "StatusList" => status_list: Vec<String>,
        "TechContact" => tech_contact: DomainContact,
        "TechPrivacy" => tech_privacy: bool,
        "TransferLock" => transfer_lock: bool,
        "UpdatedDate" => updated_date: String,
        "WhoIsServer" => who_is_server: String,
    }
}

crate::object! {
    /// A contact of a domain (`ContactDetail`).
    pub struct DomainContact {
        "AddressLine1" => address_line1: String,
        "AddressLine2" => address_line2: String,
        "City" => city: String,
        "ContactType" => contact_type: String,
        "CountryCode" => country_code: String,
        "Email" => email: String,
        "ExtraParams" => extra_params: Vec<DomainExtraParam>,
        "Fax" => fax: String,
        "FirstName" => first_name: String,
        "LastName" => last_name: String,
        "OrganizationName" => organization_name: String,
        "PhoneNumber" => phone_number: String,
        "State" => state: String,
        "ZipCode" => zip_code: String,
    }
}

crate::object! {
    /// A TLD-specific contact parameter (`ExtraParam`).
    pub struct DomainExtraParam {
        "Name" => name: String,
        "Value" => value: String,
    }
}

crate::object! {
    /// A DNSSEC key of a domain (`DnssecKey`).
    pub struct DnssecKey {
        "Algorithm" => algorithm: i64,
        "Digest" => digest: String,
        "DigestType" => digest_type: i64,
        "Flags" => flags: i64,
        "Id" => id: String,
        "KeyTag" => key_tag: i64,
        "PublicKey" => public_key: String,
    }
}

crate::object! {
    /// A name server of a domain (`Nameserver`).
    pub struct DomainNameserver {
        "GlueIps" => glue_ips: Vec<String>,
        "Name" => name: String,
    }
}
