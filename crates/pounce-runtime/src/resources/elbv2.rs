//! Elastic Load Balancing (v2) resources.

use serde_json::Value;

crate::resource! {
    /// An application load balancer (`AWS.ELBV2.ApplicationLoadBalancer`):
    /// `DescribeLoadBalancers` (`LoadBalancer`) plus its listeners
    /// (`DescribeListeners`), their SSL policies (`DescribeSSLPolicies`, keyed
    /// by policy name) and its WAF web ACL, with Panther's common resource
    /// fields.
    pub struct ApplicationLoadBalancer("AWS.ELBV2.ApplicationLoadBalancer") {
        "AccountId" => account_id: String,
        "Region" => region: String,
        "Arn" => arn: String,
        "Id" => id: String,
        "Name" => name: String,
        "Tags" => tags: Value,
        "ResourceId" => resource_id: String,
        "ResourceType" => resource_type: String,
        "TimeCreated" => time_created: String,
        "AvailabilityZones" => availability_zones: Vec<LoadBalancerAvailabilityZone>,
        "CanonicalHostedZoneId" => canonical_hosted_zone_id: String,
        /// Panther's historical misspelling of `CanonicalHostedZoneId`.
        "CanonicalHostedZonedId" => canonical_hosted_zoned_id: String,
        "CreatedTime" => created_time: String,
        "CustomerOwnedIpv4Pool" => customer_owned_ipv4_pool: String,
        "DNSName" => dns_name: String,
        "EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic" => enforce_security_group_inbound_rules_on_private_link_traffic: String,
        "IpAddressType" => ip_address_type: String,
        "Listeners" => listeners: Vec<Listener>,
        "LoadBalancerArn" => load_balancer_arn: String,
        "LoadBalancerName" => load_balancer_name: String,
        /// The listeners' SSL policies by name (`SslPolicy` objects).
        "SSLPolicies" => ssl_policies: Value,
        "Scheme" => scheme: String,
        "SecurityGroups" => security_groups: Vec<String>,
        "State" => state: LoadBalancerState,
        "Type" => type_: String,
        "VpcId" => vpc_id: String,
        /// The associated web ACL: its ID, a WAF web ACL object, or `null`.
        "WebAcl" => web_acl: Value,
    }
}

crate::object! {
    /// A zone of a load balancer (`AvailabilityZone`).
    pub struct LoadBalancerAvailabilityZone {
        "LoadBalancerAddresses" => load_balancer_addresses: Vec<LoadBalancerAddress>,
        "OutpostId" => outpost_id: String,
        "SourceNatIpv6Prefixes" => source_nat_ipv6_prefixes: Vec<String>,
        "SubnetId" => subnet_id: String,
        "ZoneName" => zone_name: String,
    }
}

crate::object! {
    /// A static address of a load balancer (`LoadBalancerAddress`).
    pub struct LoadBalancerAddress {
        "AllocationId" => allocation_id: String,
        "IPv6Address" => ipv6_address: String,
        "IpAddress" => ip_address: String,
        "PrivateIPv4Address" => private_ipv4_address: String,
    }
}

crate::object! {
    /// The state of a load balancer (`LoadBalancerState`).
    pub struct LoadBalancerState {
        "Code" => code: String,
        "Reason" => reason: String,
    }
}

crate::object! {
    /// A listener of a load balancer (`Listener`).
    pub struct Listener {
        "AlpnPolicy" => alpn_policy: Vec<String>,
        "Certificates" => certificates: Vec<ListenerCertificate>,
        "DefaultActions" => default_actions: Vec<ListenerAction>,
        "ListenerArn" => listener_arn: String,
        "LoadBalancerArn" => load_balancer_arn: String,
        "MutualAuthentication" => mutual_authentication: ListenerMutualAuthentication,
        "Port" => port: i64,
        "Protocol" => protocol: String,
        "SslPolicy" => ssl_policy: String,
    }
}

crate::object! {
    /// A certificate of a listener (`Certificate`).
    pub struct ListenerCertificate {
        "CertificateArn" => certificate_arn: String,
        "IsDefault" => is_default: bool,
    }
}

crate::object! {
    /// A listener action (`Action`), tagged by `Type`.
    pub struct ListenerAction {
        "AuthenticateCognitoConfig" => authenticate_cognito_config: AuthenticateCognitoActionConfig,
        "AuthenticateOidcConfig" => authenticate_oidc_config: AuthenticateOidcActionConfig,
        "FixedResponseConfig" => fixed_response_config: FixedResponseActionConfig,
        "ForwardConfig" => forward_config: ForwardActionConfig,
        "Order" => order: i64,
        "RedirectConfig" => redirect_config: RedirectActionConfig,
        "TargetGroupArn" => target_group_arn: String,
        "Type" => type_: String,
    }
}

crate::object! {
    /// A Cognito authentication action (`AuthenticateCognitoActionConfig`).
    pub struct AuthenticateCognitoActionConfig {
        "AuthenticationRequestExtraParams" => authentication_request_extra_params: Value,
        "OnUnauthenticatedRequest" => on_unauthenticated_request: String,
        "Scope" => scope: String,
        "SessionCookieName" => session_cookie_name: String,
        "SessionTimeout" => session_timeout: i64,
        "UserPoolArn" => user_pool_arn: String,
        "UserPoolClientId" => user_pool_client_id: String,
        "UserPoolDomain" => user_pool_domain: String,
    }
}

crate::object! {
    /// An OIDC authentication action (`AuthenticateOidcActionConfig`).
    pub struct AuthenticateOidcActionConfig {
        "AuthenticationRequestExtraParams" => authentication_request_extra_params: Value,
        "AuthorizationEndpoint" => authorization_endpoint: String,
        "ClientId" => client_id: String,
        "ClientSecret" => client_secret: String,
        "Issuer" => issuer: String,
        "OnUnauthenticatedRequest" => on_unauthenticated_request: String,
        "Scope" => scope: String,
        "SessionCookieName" => session_cookie_name: String,
        "SessionTimeout" => session_timeout: i64,
        "TokenEndpoint" => token_endpoint: String,
        "UseExistingClientSecret" => use_existing_client_secret: bool,
        "UserInfoEndpoint" => user_info_endpoint: String,
    }
}

crate::object! {
    /// A fixed-response action (`FixedResponseActionConfig`).
    pub struct FixedResponseActionConfig {
        "ContentType" => content_type: String,
        "MessageBody" => message_body: String,
        "StatusCode" => status_code: String,
    }
}

crate::object! {
    /// A forward action (`ForwardActionConfig`).
    pub struct ForwardActionConfig {
        "TargetGroupStickinessConfig" => target_group_stickiness_config: TargetGroupStickinessConfig,
        "TargetGroups" => target_groups: Vec<TargetGroupTuple>,
    }
}

crate::object! {
    /// Target group stickiness of a forward action
    /// (`TargetGroupStickinessConfig`).
    pub struct TargetGroupStickinessConfig {
        "DurationSeconds" => duration_seconds: i64,
        "Enabled" => enabled: bool,
    }
}

crate::object! {
    /// A weighted target group of a forward action (`TargetGroupTuple`).
    pub struct TargetGroupTuple {
        "TargetGroupArn" => target_group_arn: String,
        "Weight" => weight: i64,
    }
}

crate::object! {
    /// A redirect action (`RedirectActionConfig`).
    pub struct RedirectActionConfig {
        "Host" => host: String,
        "Path" => path: String,
        "Port" => port: String,
        "Protocol" => protocol: String,
        "Query" => query: String,
        "StatusCode" => status_code: String,
    }
}

crate::object! {
    /// The mutual TLS settings of a listener (`MutualAuthenticationAttributes`).
    pub struct ListenerMutualAuthentication {
        "AdvertiseTrustStoreCaNames" => advertise_trust_store_ca_names: String,
        "IgnoreClientCertificateExpiry" => ignore_client_certificate_expiry: bool,
        "Mode" => mode: String,
        "TrustStoreArn" => trust_store_arn: String,
        "TrustStoreAssociationStatus" => trust_store_association_status: String,
    }
}
