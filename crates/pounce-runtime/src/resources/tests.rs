#![expect(clippy::unwrap_used, clippy::indexing_slicing, reason = "tests")]

use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::*;
use crate::{resource_from_json, Field, Resource, StructSchema, Ty};

/// Deserialises `value` as `R`, checks it serialises back to the same JSON,
/// and returns it.
fn roundtrip<R: Resource + serde::Serialize>(value: Value) -> R {
    let resource: R = resource_from_json(&value).unwrap();
    assert_eq!(serde_json::to_value(&resource).unwrap(), value, "{} does not round-trip", R::RESOURCE_TYPE);
    resource
}

/// The string a field holds, if it holds one.
fn s(field: &Field<String>) -> Option<&str> {
    field.as_option().map(String::as_str)
}

/// The typed value a field holds (the test fails otherwise).
fn get<T>(field: &Field<T>) -> &T {
    field.as_option().unwrap()
}

/// The first element of a typed list field.
fn first<T>(field: &Field<Vec<T>>) -> &T {
    &get(field)[0]
}

const EXPECTED_TYPES: [&str; 34] = [
    "AWS.ACM.Certificate",
    "AWS.CloudFormation.Stack",
    "AWS.CloudTrail",
    "AWS.CloudTrail.Meta",
    "AWS.CloudWatch.LogGroup",
    "AWS.Config.Recorder",
    "AWS.Config.Recorder.Meta",
    "AWS.DynamoDB.Table",
    "AWS.EC2.AMI",
    "AWS.EC2.Instance",
    "AWS.EC2.NetworkACL",
    "AWS.EC2.SecurityGroup",
    "AWS.EC2.VPC",
    "AWS.EC2.Volume",
    "AWS.ECS.Cluster",
    "AWS.EKS.Cluster",
    "AWS.ELBV2.ApplicationLoadBalancer",
    "AWS.GuardDuty.Detector",
    "AWS.GuardDuty.Detector.Meta",
    "AWS.IAM.Group",
    "AWS.IAM.Policy",
    "AWS.IAM.Role",
    "AWS.IAM.RootUser",
    "AWS.IAM.User",
    "AWS.KMS.Key",
    "AWS.Lambda.Function",
    "AWS.PasswordPolicy",
    "AWS.RDS.Instance",
    "AWS.Redshift.Cluster",
    "AWS.Route53.HostedZone",
    "AWS.Route53Domains",
    "AWS.S3.Bucket",
    "AWS.WAF.Regional.WebACL",
    "AWS.WAF.WebACL",
];

#[test]
fn resource_types_are_exactly_panthers_and_sorted() {
    let keys: Vec<&str> = RESOURCE_TYPES.iter().map(|(name, _)| *name).collect();
    let mut expected = EXPECTED_TYPES.to_vec();
    expected.sort_unstable();
    assert_eq!(keys, expected);
    assert!(keys.windows(2).all(|w| w[0] < w[1]), "RESOURCE_TYPES is not sorted");
}

#[test]
fn every_schema_names_its_resource_type() {
    for (name, schema) in RESOURCE_TYPES {
        assert_eq!(schema.resource_type, Some(*name), "{}", schema.name);
        assert_eq!(schema_for(name), Some(*schema));
    }
    assert!(schema_for("AWS.EC2.Nope").is_none());
}

/// Collects every struct schema reachable from `ty`.
fn collect(ty: &'static Ty, out: &mut BTreeMap<&'static str, &'static StructSchema>) {
    match ty {
        Ty::List(el) => collect(el, out),
        Ty::Struct(schema) => collect_struct(schema, out),
        Ty::Str | Ty::Bool | Ty::Int | Ty::Float | Ty::Json => {}
    }
}

fn collect_struct(schema: &'static StructSchema, out: &mut BTreeMap<&'static str, &'static StructSchema>) {
    if let Some(seen) = out.insert(schema.name, schema) {
        assert_eq!(seen, schema, "two structs named {}", schema.name);
        return;
    }
    for field in schema.fields {
        collect(field.ty, out);
    }
}

#[test]
fn schemas_are_well_formed() {
    let mut structs = BTreeMap::new();
    for (_, schema) in RESOURCE_TYPES {
        collect_struct(schema, &mut structs);
    }
    for schema in structs.values() {
        let mut names: Vec<&str> = schema.fields.iter().map(|f| f.name).collect();
        let mut rust_names: Vec<&str> = schema.fields.iter().map(|f| f.rust_name).collect();
        names.sort_unstable();
        rust_names.sort_unstable();
        assert!(names.windows(2).all(|w| w[0] != w[1]), "duplicate key in {}", schema.name);
        assert!(rust_names.windows(2).all(|w| w[0] != w[1]), "duplicate field in {}", schema.name);
        // Only top-level resources carry a resource type.
        let is_resource = RESOURCE_TYPES.iter().any(|(_, s)| s.name == schema.name);
        assert_eq!(schema.resource_type.is_some(), is_resource, "{}", schema.name);
    }
}

#[test]
fn unexpected_json_types_become_other() {
    let resource: Ec2Instance = roundtrip(json!({
        "InstanceId": "i-0abc",
        "EbsOptimized": "yes",
        "AmiLaunchIndex": 1.5,
        "State": {"Code": "sixteen", "Name": "running"},
        "SecurityGroups": [{"GroupId": "sg-1"}, null],
        "Placement": "us-east-1a",
        "Monitoring": null
    }));
    assert_eq!(s(&resource.instance_id), Some("i-0abc"));
    assert_eq!(resource.ebs_optimized, Field::Other(json!("yes")));
    assert_eq!(resource.ami_launch_index, Field::Other(json!(1.5)));
    let state = get(&resource.state);
    assert_eq!(state.code, Field::Other(json!("sixteen")));
    assert_eq!(s(&state.name), Some("running"));
    // One bad element makes the whole list `Other`.
    assert_eq!(resource.security_groups, Field::Other(json!([{"GroupId": "sg-1"}, null])));
    assert_eq!(resource.placement, Field::Other(json!("us-east-1a")));
    assert_eq!(resource.monitoring, Field::Null);
    assert!(resource.vpc_id.is_absent());
}

#[test]
fn acm_certificate() {
    let r: AcmCertificate = roundtrip(json!({
        "AccountId": "111122223333",
        "Arn": "arn:aws:acm:us-east-1:111122223333:certificate/c1",
        "ResourceType": "AWS.ACM.Certificate",
        "DomainName": "shop.example.org",
        "DomainValidationOptions": [{
            "DomainName": "shop.example.org",
            "ResourceRecord": {"Name": "_x.shop.example.org.", "Type": "CNAME", "Value": "_y.acm-validations.aws."},
            "ValidationMethod": "DNS"
        }],
        "InUseBy": [],
        "KeyAlgorithm": "EC_prime256v1",
        "NotAfter": "2031-01-01T00:00:00Z",
        "Options": {"CertificateTransparencyLoggingPreference": "DISABLED"},
        "RenewalSummary": null,
        "Status": "ISSUED",
        "Vendor": "acme"
    }));
    assert_eq!(AcmCertificate::RESOURCE_TYPE, "AWS.ACM.Certificate");
    assert_eq!(s(&r.key_algorithm), Some("EC_prime256v1"));
    assert_eq!(s(&r.not_after), Some("2031-01-01T00:00:00Z"));
    assert_eq!(get(&r.in_use_by).len(), 0);
    assert_eq!(s(&get(&first(&r.domain_validation_options).resource_record).type_), Some("CNAME"));
    assert_eq!(s(&get(&r.options).certificate_transparency_logging_preference), Some("DISABLED"));
    assert_eq!(r.renewal_summary, Field::Null);
    assert_eq!(r.extra["Vendor"], "acme");
}

#[test]
fn cloudformation_stack() {
    let r: CloudFormationStack = roundtrip(json!({
        "ARN": "arn:aws:cloudformation:eu-west-1:111122223333:stack/web/1",
        "Arn": "arn:aws:cloudformation:eu-west-1:111122223333:stack/web/1",
        "Name": "web",
        "Tags": {"team": "web"},
        "DriftInformation": {"StackDriftStatus": "DRIFTED"},
        "EnableTerminationProtection": false,
        "Parameters": [{"ParameterKey": "Env", "ParameterValue": "prod", "UsePreviousValue": true}],
        "RoleARN": null,
        "RollbackConfiguration": {"MonitoringTimeInMinutes": 5, "RollbackTriggers": []},
        "StackStatus": "UPDATE_COMPLETE",
        "Outputs": null,
        "Owner": "web-team"
    }));
    assert_eq!(s(&r.arn), s(&r.arn_));
    assert_eq!(r.tags, Field::Present(json!({"team": "web"})));
    assert_eq!(s(&get(&r.drift_information).stack_drift_status), Some("DRIFTED"));
    assert_eq!(r.enable_termination_protection, Field::Present(false));
    assert_eq!(first(&r.parameters).use_previous_value, Field::Present(true));
    assert_eq!(get(&r.rollback_configuration).monitoring_time_in_minutes, Field::Present(5));
    assert_eq!(r.role_arn, Field::Null);
    assert_eq!(r.extra["Owner"], "web-team");
}

#[test]
fn cloudtrail() {
    let r: CloudTrail = roundtrip(json!({
        "Name": "org-trail",
        "TrailARN": "arn:aws:cloudtrail:us-east-2:111122223333:trail/org-trail",
        "IsMultiRegionTrail": true,
        "LogFileValidationEnabled": false,
        "KmsKeyId": null,
        "S3BucketName": "trail-bucket",
        "EventSelectors": [{
            "DataResources": [{"Type": "AWS::S3::Object", "Values": ["arn:aws:s3"]}],
            "IncludeManagementEvents": true,
            "ReadWriteType": "WriteOnly"
        }],
        "Status": {"IsLogging": true, "LatestCloudWatchLogsDeliveryTime": "2024-05-01T00:00:00Z"},
        "Comment": "audit"
    }));
    assert_eq!(r.is_multi_region_trail, Field::Present(true));
    assert_eq!(r.kms_key_id, Field::Null);
    let selector = first(&r.event_selectors);
    assert_eq!(s(&selector.read_write_type), Some("WriteOnly"));
    assert_eq!(get(&first(&selector.data_resources).values), &vec!["arn:aws:s3".to_string()]);
    let status = get(&r.status);
    assert_eq!(status.is_logging, Field::Present(true));
    assert_eq!(s(&status.latest_cloud_watch_logs_delivery_time), Some("2024-05-01T00:00:00Z"));
    assert_eq!(r.extra["Comment"], "audit");
}

#[test]
fn cloudtrail_meta() {
    let r: CloudTrailMeta = roundtrip(json!({
        "AccountId": "111122223333",
        "Region": "global",
        "Trails": ["arn:aws:cloudtrail:us-east-2:111122223333:trail/org-trail"],
        "GlobalEventSelectors": null,
        "GlobalAdvancedEventSelectors": [{
            "Name": "writes",
            "FieldSelectors": [
                {"Field": "eventCategory", "Equals": ["Management"]},
                {"Field": "readOnly", "Equals": ["false"], "NotEquals": null}
            ]
        }],
        "Trail Count": 1
    }));
    assert_eq!(get(&r.trails).len(), 1);
    assert_eq!(r.global_event_selectors, Field::Null);
    let selector = first(&r.global_advanced_event_selectors);
    assert_eq!(s(&selector.name), Some("writes"));
    let fields = get(&selector.field_selectors);
    assert_eq!(s(&fields[1].field), Some("readOnly"));
    assert_eq!(fields[1].not_equals, Field::Null);
    assert_eq!(r.extra["Trail Count"], 1);
}

#[test]
fn cloudwatch_log_group() {
    let r: CloudWatchLogGroup = roundtrip(json!({
        "ARN": "arn:aws:logs:us-east-2:111122223333:log-group:app",
        "Arn": "arn:aws:logs:us-east-2:111122223333:log-group:app:*",
        "ResourceID": "arn:aws:logs:us-east-2:111122223333:log-group:app",
        "CreationTime": 1_700_000_000_000_i64,
        "KmsKeyId": "arn:aws:kms:us-east-2:111122223333:key/k1",
        "LogGroupName": "app",
        "RetentionInDays": null,
        "StoredBytes": 2048,
        "Subscription": "none"
    }));
    assert_eq!(s(&r.arn), Some("arn:aws:logs:us-east-2:111122223333:log-group:app"));
    assert_eq!(s(&r.arn_), Some("arn:aws:logs:us-east-2:111122223333:log-group:app:*"));
    assert!(r.resource_id.as_option().is_some() && r.resource_id_.is_absent());
    assert_eq!(r.creation_time, Field::Present(1_700_000_000_000));
    assert_eq!(r.retention_in_days, Field::Null);
    assert_eq!(r.stored_bytes, Field::Present(2048));
    assert_eq!(r.extra["Subscription"], "none");
}

#[test]
fn config_recorder() {
    let r: ConfigRecorder = roundtrip(json!({
        "Region": "ap-south-1",
        "Recorder": {
            "Name": "main",
            "RoleARN": "arn:aws:iam::111122223333:role/config",
            "RecordingGroup": {"AllSupported": false, "IncludeGlobalResourceTypes": false, "ResourceTypes": ["AWS::S3::Bucket"]}
        },
        "RecordingGroup": {"AllSupported": true, "RecordingStrategy": {"UseOnly": "ALL_SUPPORTED_RESOURCE_TYPES"}},
        "Status": {"Name": "main", "Recording": true, "LastErrorCode": null, "LastStatus": "SUCCESS"},
        "Notes": []
    }));
    let recorder = get(&r.recorder);
    assert_eq!(s(&recorder.name), Some("main"));
    assert_eq!(get(&recorder.recording_group).all_supported, Field::Present(false));
    let group = get(&r.recording_group);
    assert_eq!(group.all_supported, Field::Present(true));
    assert_eq!(s(&get(&group.recording_strategy).use_only), Some("ALL_SUPPORTED_RESOURCE_TYPES"));
    let status = get(&r.status);
    assert_eq!(status.recording, Field::Present(true));
    assert_eq!(status.last_error_code, Field::Null);
    assert_eq!(r.extra["Notes"], json!([]));
}

#[test]
fn config_recorder_meta() {
    let r: ConfigRecorderMeta = roundtrip(json!({
        "AccountId": "111122223333",
        "Name": "AWS.Config.Recorder.Meta",
        "GlobalRecorderCount": 2,
        "Recorders": ["111122223333:eu-west-1:AWS.Config.Recorder"],
        "Tags": null,
        "Delivery": "s3"
    }));
    assert_eq!(r.global_recorder_count, Field::Present(2));
    assert_eq!(get(&r.recorders).len(), 1);
    assert_eq!(r.tags, Field::Null);
    assert_eq!(r.extra["Delivery"], "s3");
}

#[test]
fn dynamodb_table() {
    let r: DynamoDbTable = roundtrip(json!({
        "Name": "orders",
        "TableArn": "arn:aws:dynamodb:us-east-2:111122223333:table/orders",
        "AutoScalingDescriptions": [{
            "ResourceId": "table/orders",
            "ScalableDimension": "dynamodb:table:ReadCapacityUnits",
            "MinCapacity": 1,
            "MaxCapacity": 50,
            "SuspendedState": {"ScheduledScalingSuspended": false}
        }],
        "BillingModeSummary": {"BillingMode": "PROVISIONED"},
        "GlobalSecondaryIndexes": [{"IndexName": "by-customer", "KeySchema": [{"AttributeName": "customer", "KeyType": "HASH"}]}],
        "ItemCount": 3,
        "SSEDescription": {"SSEType": "KMS", "Status": "ENABLED"},
        "TimeToLiveDescription": {"TimeToLiveStatus": "ENABLED", "AttributeName": "expires"},
        "PointInTimeRecovery": true
    }));
    let target = first(&r.auto_scaling_descriptions);
    assert_eq!(target.max_capacity, Field::Present(50));
    assert_eq!(s(&target.resource_id), Some("table/orders"));
    assert_eq!(get(&target.suspended_state).scheduled_scaling_suspended, Field::Present(false));
    assert_eq!(s(&get(&r.billing_mode_summary).billing_mode), Some("PROVISIONED"));
    let index = first(&r.global_secondary_indexes);
    assert_eq!(s(&index.index_name), Some("by-customer"));
    assert_eq!(s(&first(&index.key_schema).key_type), Some("HASH"));
    assert_eq!(s(&get(&r.time_to_live_description).time_to_live_status), Some("ENABLED"));
    assert_eq!(r.extra["PointInTimeRecovery"], true);
}

#[test]
fn ec2_ami() {
    let r: Ami = roundtrip(json!({
        "Arn": "arn:aws:ec2:sa-east-1:111122223333:image/ami-1",
        "Id": "ami-1",
        "ResourceId": "arn:aws:ec2:sa-east-1:111122223333:image/ami-1",
        "ImageOwnerAlias": null,
        "OwnerId": "111122223333",
        "Public": false,
        "BlockDeviceMappings": [{"DeviceName": "/dev/sda1", "Ebs": {"Encrypted": true, "VolumeSize": 30}}],
        "StateReason": {"Code": "none", "Message": "ok"},
        "Sharing": "private"
    }));
    assert_eq!(s(&r.arn_), Some("arn:aws:ec2:sa-east-1:111122223333:image/ami-1"));
    assert!(r.arn.is_absent());
    assert_eq!(s(&r.id_), Some("ami-1"));
    assert_eq!(r.image_owner_alias, Field::Null);
    assert_eq!(r.public, Field::Present(false));
    assert_eq!(get(&first(&r.block_device_mappings).ebs).volume_size, Field::Present(30));
    assert_eq!(s(&get(&r.state_reason).message), Some("ok"));
    assert_eq!(r.extra["Sharing"], "private");
}

#[test]
fn ec2_instance() {
    let r: Ec2Instance = roundtrip(json!({
        "InstanceId": "i-0abc",
        "ImageId": "ami-1",
        "InstanceType": "m7g.large",
        "EbsOptimized": true,
        "Monitoring": {"State": "enabled"},
        "Placement": {"AvailabilityZone": "us-west-1b", "HostId": null, "Tenancy": "dedicated"},
        "State": {"Code": 16, "Name": "running"},
        "MetadataOptions": {"HttpTokens": "required", "HttpPutResponseHopLimit": 2},
        "NetworkInterfaces": [{"Attachment": {"DeviceIndex": 0}, "Groups": [{"GroupId": "sg-1", "GroupName": "web"}]}],
        "Tags": {"Owner": "ops"},
        "Volumes": [{"VolumeId": "vol-1", "Encrypted": true, "Size": 8, "Tags": [{"Key": "a", "Value": "b"}]}],
        "VpcId": "vpc-1",
        "Lifecycle": "spot"
    }));
    assert_eq!(r.ebs_optimized, Field::Present(true));
    assert_eq!(s(&get(&r.monitoring).state), Some("enabled"));
    let placement = get(&r.placement);
    assert_eq!(placement.host_id, Field::Null);
    assert_eq!(s(&placement.tenancy), Some("dedicated"));
    assert_eq!(get(&r.state).code, Field::Present(16));
    assert_eq!(get(&r.metadata_options).http_put_response_hop_limit, Field::Present(2));
    let eni = first(&r.network_interfaces);
    assert_eq!(get(&eni.attachment).device_index, Field::Present(0));
    assert_eq!(s(&first(&eni.groups).group_name), Some("web"));
    assert_eq!(r.tags, Field::Present(json!({"Owner": "ops"})));
    let volume = first(&r.volumes);
    assert_eq!(volume.encrypted, Field::Present(true));
    assert_eq!(volume.tags, Field::Present(json!([{"Key": "a", "Value": "b"}])));
    assert_eq!(r.extra["Lifecycle"], "spot");
}

#[test]
fn ec2_network_acl() {
    let r: NetworkAcl = roundtrip(json!({
        "ID": "acl-1",
        "Id": "acl-1",
        "NetworkAclId": "acl-1",
        "IsDefault": false,
        "Entries": [
            {"CidrBlock": "0.0.0.0/0", "Egress": false, "PortRange": {"From": 22, "To": 22}, "Protocol": "6", "RuleAction": "deny", "RuleNumber": 90},
            {"Ipv6CidrBlock": "::/0", "Egress": true, "PortRange": null, "IcmpTypeCode": {"Code": -1, "Type": 8}, "Protocol": "58", "RuleAction": "allow", "RuleNumber": 100}
        ],
        "Associations": [{"NetworkAclAssociationId": "aclassoc-1", "SubnetId": "subnet-1"}],
        "Shared": false
    }));
    assert_eq!(s(&r.id), s(&r.id_));
    let entries = get(&r.entries);
    assert_eq!(get(&entries[0].port_range).to, Field::Present(22));
    assert_eq!(entries[0].rule_number, Field::Present(90));
    assert_eq!(entries[1].port_range, Field::Null);
    assert_eq!(get(&entries[1].icmp_type_code).code, Field::Present(-1));
    assert_eq!(s(&first(&r.associations).subnet_id), Some("subnet-1"));
    assert_eq!(r.extra["Shared"], false);
}

#[test]
fn ec2_security_group() {
    let r: SecurityGroup = roundtrip(json!({
        "GroupId": "sg-1",
        "GroupName": "db",
        "IpPermissions": [{
            "FromPort": 5432,
            "ToPort": 5432,
            "IpProtocol": "tcp",
            "IpRanges": [{"CidrIp": "10.0.0.0/8", "Description": "vpc"}],
            "Ipv6Ranges": [{"CidrIpv6": "::/0"}],
            "UserIdGroupPairs": [{"GroupId": "sg-2", "UserId": "111122223333"}]
        }],
        "IpPermissionsEgress": [{"IpProtocol": "-1", "FromPort": null, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}],
        "Tags": null,
        "Rules": 2
    }));
    let rule = first(&r.ip_permissions);
    assert_eq!(rule.from_port, Field::Present(5432));
    assert_eq!(s(&first(&rule.ip_ranges).cidr_ip), Some("10.0.0.0/8"));
    assert_eq!(s(&first(&rule.ipv6_ranges).cidr_ipv6), Some("::/0"));
    assert_eq!(s(&first(&rule.user_id_group_pairs).group_id), Some("sg-2"));
    let egress = first(&r.ip_permissions_egress);
    assert_eq!(egress.from_port, Field::Null);
    assert!(egress.to_port.is_absent());
    assert_eq!(r.extra["Rules"], 2);
}

#[test]
fn ec2_volume() {
    let r: Ec2Volume = roundtrip(json!({
        "ResourceID": "arn:aws:ec2:us-east-2:111122223333:volume/vol-1",
        "ResourceId": "arn:aws:ec2:us-east-2:111122223333:volume/vol-1",
        "VolumeId": "vol-1",
        "Encrypted": false,
        "State": "available",
        "Size": 100,
        "Attachments": [],
        "Snapshots": [{
            "SnapshotId": "snap-1",
            "Encrypted": false,
            "State": "completed",
            "CreateVolumePermissions": [{"Group": "all"}]
        }],
        "Iops": 3000,
        "Throughput": 125,
        "Cost": "low"
    }));
    assert_eq!(s(&r.resource_id), s(&r.resource_id_));
    assert_eq!(r.encrypted, Field::Present(false));
    let snapshot = first(&r.snapshots);
    assert_eq!(s(&snapshot.state), Some("completed"));
    assert_eq!(s(&first(&snapshot.create_volume_permissions).group), Some("all"));
    assert_eq!(r.throughput, Field::Present(125));
    assert_eq!(r.extra["Cost"], "low");
}

#[test]
fn ec2_vpc() {
    let r: Vpc = roundtrip(json!({
        "AccountId": "111122223333",
        "Region": "eu-north-1",
        "VpcId": "vpc-1",
        "DefaultNetworkAclId": "acl-1",
        "DefaultSecurityGroupId": "sg-1",
        "FlowLogs": [{"FlowLogId": "fl-1", "FlowLogStatus": "ACTIVE", "TrafficType": "REJECT", "MaxAggregationInterval": 60}],
        "NetworkAcls": [{"NetworkAclId": "acl-1", "IsDefault": true, "Entries": [{"RuleNumber": 32767, "RuleAction": "deny"}]}],
        "RouteTables": [{"RouteTableId": "rtb-1", "Routes": [{"DestinationCidrBlock": "0.0.0.0/0", "GatewayId": "igw-1"}]}],
        "SecurityGroups": [{"GroupId": "sg-1", "IpPermissions": []}],
        "StaleSecurityGroups": null,
        "Ipv6CidrBlockAssociationSet": [{"Ipv6CidrBlock": "2600::/56", "Ipv6CidrBlockState": {"State": "associated"}}],
        "EnableDnsHostnames": true
    }));
    assert_eq!(s(&r.default_network_acl_id), Some("acl-1"));
    let flow_log = first(&r.flow_logs);
    assert_eq!(s(&flow_log.traffic_type), Some("REJECT"));
    assert_eq!(flow_log.max_aggregation_interval, Field::Present(60));
    let acl = first(&r.network_acls);
    assert_eq!(acl.is_default, Field::Present(true));
    assert_eq!(first(&acl.entries).rule_number, Field::Present(32767));
    assert_eq!(s(&first(&first(&r.route_tables).routes).gateway_id), Some("igw-1"));
    assert_eq!(get(&first(&r.security_groups).ip_permissions).len(), 0);
    assert_eq!(r.stale_security_groups, Field::Null);
    let ipv6 = first(&r.ipv6_cidr_block_association_set);
    assert_eq!(s(&get(&ipv6.ipv6_cidr_block_state).state), Some("associated"));
    assert_eq!(r.extra["EnableDnsHostnames"], true);
}

#[test]
fn ecs_cluster() {
    let r: EcsCluster = roundtrip(json!({
        "Arn": "arn:aws:ecs:us-east-2:111122223333:cluster/api",
        "Name": "api",
        "ActiveServicesCount": 2,
        "CapacityProviders": ["FARGATE"],
        "DefaultCapacityProviderStrategy": [{"CapacityProvider": "FARGATE", "Weight": 1, "Base": 0}],
        "Settings": [{"Name": "containerInsights", "Value": "enabled"}],
        "Services": ["api-web"],
        "Tasks": [{"TaskDefinitionArn": "arn:aws:ecs:us-east-2:111122223333:task-definition/api:3"}],
        "Status": "ACTIVE",
        "Spend": 0
    }));
    assert_eq!(r.active_services_count, Field::Present(2));
    assert_eq!(first(&r.default_capacity_provider_strategy).weight, Field::Present(1));
    assert_eq!(s(&first(&r.settings).value), Some("enabled"));
    assert_eq!(r.services, Field::Present(json!(["api-web"])));
    assert!(matches!(r.tasks, Field::Present(Value::Array(_))));
    assert_eq!(r.extra["Spend"], 0);
}

#[test]
fn eks_cluster() {
    let r: EksCluster = roundtrip(json!({
        "Name": "prod",
        "Version": "1.30",
        "EncryptionConfig": [{"Resources": ["secrets"], "Provider": {"KeyArn": "arn:aws:kms:us-east-2:111122223333:key/k1"}}],
        "Logging": {"ClusterLogging": [{"Types": ["api", "audit"], "Enabled": true}]},
        "ResourcesVpcConfig": {"EndpointPublicAccess": false, "PublicAccessCidrs": ["0.0.0.0/0"]},
        "NodeGroup": [{
            "NodegroupName": "workers",
            "DiskSize": 50,
            "ScalingConfig": {"DesiredSize": 3, "MaxSize": 6, "MinSize": 1},
            "Resources": {"AutoScalingGroups": [{"Name": "eks-workers"}]},
            "Labels": {"tier": "app"}
        }],
        "FargateProfile": [{"FargateProfileName": "jobs", "Selectors": [{"Namespace": "batch", "Labels": null}]}],
        "Addons": ["vpc-cni"]
    }));
    let encryption = first(&r.encryption_config);
    assert_eq!(s(&get(&encryption.provider).key_arn), Some("arn:aws:kms:us-east-2:111122223333:key/k1"));
    assert_eq!(first(&get(&r.logging).cluster_logging).enabled, Field::Present(true));
    assert_eq!(get(&r.resources_vpc_config).endpoint_public_access, Field::Present(false));
    let nodegroup = first(&r.node_group);
    assert_eq!(get(&nodegroup.scaling_config).max_size, Field::Present(6));
    assert_eq!(s(&first(&get(&nodegroup.resources).auto_scaling_groups).name), Some("eks-workers"));
    assert_eq!(nodegroup.labels, Field::Present(json!({"tier": "app"})));
    assert_eq!(s(&first(&first(&r.fargate_profile).selectors).namespace), Some("batch"));
    assert_eq!(r.extra["Addons"], json!(["vpc-cni"]));
}

#[test]
fn elbv2_application_load_balancer() {
    let r: ApplicationLoadBalancer = roundtrip(json!({
        "LoadBalancerArn": "arn:aws:elasticloadbalancing:us-east-2:111122223333:loadbalancer/app/web/1",
        "Scheme": "internet-facing",
        "CanonicalHostedZoneId": "Z1",
        "CanonicalHostedZonedId": "Z1",
        "Listeners": [{
            "Port": 443,
            "Protocol": "HTTPS",
            "SslPolicy": "ELBSecurityPolicy-TLS13-1-2-2021-06",
            "Certificates": [{"CertificateArn": "arn:aws:acm:us-east-2:111122223333:certificate/c1", "IsDefault": true}],
            "DefaultActions": [{
                "Type": "redirect",
                "RedirectConfig": {"Protocol": "HTTPS", "Port": "443", "StatusCode": "HTTP_301"}
            }]
        }],
        "SSLPolicies": {"ELBSecurityPolicy-TLS13-1-2-2021-06": {"SslProtocols": ["TLSv1.2", "TLSv1.3"]}},
        "State": {"Code": "active"},
        "WebAcl": {"WebACLId": "acl-123"},
        "Deletion": "off"
    }));
    assert_eq!(s(&r.canonical_hosted_zone_id), s(&r.canonical_hosted_zoned_id));
    let listener = first(&r.listeners);
    assert_eq!(listener.port, Field::Present(443));
    assert_eq!(first(&listener.certificates).is_default, Field::Present(true));
    let action = first(&listener.default_actions);
    assert_eq!(s(&action.type_), Some("redirect"));
    assert_eq!(s(&get(&action.redirect_config).status_code), Some("HTTP_301"));
    assert!(matches!(r.ssl_policies, Field::Present(Value::Object(_))));
    assert_eq!(s(&get(&r.state).code), Some("active"));
    assert_eq!(r.web_acl, Field::Present(json!({"WebACLId": "acl-123"})));
    assert_eq!(r.extra["Deletion"], "off");
}

#[test]
fn guardduty_detector() {
    let r: GuardDutyDetector = roundtrip(json!({
        "Id": "d1",
        "Status": "ENABLED",
        "FindingPublishingFrequency": "FIFTEEN_MINUTES",
        "Master": {"AccountId": "444455556666", "RelationshipStatus": "Enabled"},
        "Features": [{"Name": "S3_DATA_EVENTS", "Status": "ENABLED", "AdditionalConfiguration": []}],
        "Plan": "standard"
    }));
    assert_eq!(s(&r.status), Some("ENABLED"));
    assert_eq!(s(&get(&r.master).account_id), Some("444455556666"));
    assert_eq!(s(&first(&r.features).name), Some("S3_DATA_EVENTS"));
    assert_eq!(r.extra["Plan"], "standard");
}

#[test]
fn guardduty_detector_meta() {
    let r: GuardDutyDetectorMeta = roundtrip(json!({
        "AccountId": "111122223333",
        "Detectors": ["111122223333:us-east-2:AWS.GuardDuty.Detector"],
        "ResourceId": "111122223333::AWS.GuardDuty.Detector.Meta",
        "Regions": 1
    }));
    assert_eq!(first(&r.detectors), "111122223333:us-east-2:AWS.GuardDuty.Detector");
    assert_eq!(s(&r.resource_id), Some("111122223333::AWS.GuardDuty.Detector.Meta"));
    assert_eq!(r.extra["Regions"], 1);
}

#[test]
fn iam_group() {
    let r: IamGroup = roundtrip(json!({
        "GroupName": "admins",
        "InlinePolicies": {"inline": "{\"Version\":\"2012-10-17\",\"Statement\":[]}"},
        "ManagedPolicyARNs": ["arn:aws:iam::aws:policy/AdministratorAccess"],
        "ManagedPolicyNames": ["AdministratorAccess"],
        "Users": [{"UserName": "ana", "PermissionsBoundary": null, "Tags": null}],
        "Size": 1
    }));
    assert!(matches!(r.inline_policies, Field::Present(Value::Object(_))));
    assert_eq!(first(&r.managed_policy_names), "AdministratorAccess");
    let user = first(&r.users);
    assert_eq!(s(&user.user_name), Some("ana"));
    assert_eq!(user.permissions_boundary, Field::Null);
    assert_eq!(r.extra["Size"], 1);
}

#[test]
fn iam_policy() {
    let document = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#;
    let r: IamPolicy = roundtrip(json!({
        "PolicyName": "read-objects",
        "Path": "/team/",
        "AttachmentCount": 1,
        "IsAttachable": true,
        "Entities": {"PolicyRoles": [{"RoleName": "reader", "RoleId": "AROA1"}], "PolicyGroups": null, "PolicyUsers": []},
        "PolicyDocument": document,
        "Scope": "Local"
    }));
    assert_eq!(r.attachment_count, Field::Present(1));
    let entities = get(&r.entities);
    assert_eq!(s(&first(&entities.policy_roles).role_name), Some("reader"));
    assert_eq!(entities.policy_groups, Field::Null);
    assert_eq!(r.policy_document, Field::Present(json!(document)));
    assert_eq!(r.extra["Scope"], "Local");
}

#[test]
fn iam_role() {
    let r: IamRole = roundtrip(json!({
        "RoleName": "deployer",
        "AssumeRolePolicyDocument": {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Principal": {"Service": "codebuild.amazonaws.com"}, "Action": "sts:AssumeRole"}]
        },
        "InlinePolicies": null,
        "ManagedPolicyNames": ["PowerUserAccess"],
        "MaxSessionDuration": 3600,
        "RoleLastUsed": {"LastUsedDate": "2024-06-01T00:00:00Z", "Region": "us-east-2"},
        "HasPermission": false,
        "Trusted": true
    }));
    assert!(matches!(r.assume_role_policy_document, Field::Present(Value::Object(_))));
    assert_eq!(r.inline_policies, Field::Null);
    assert_eq!(r.max_session_duration, Field::Present(3600));
    assert_eq!(s(&get(&r.role_last_used).region), Some("us-east-2"));
    assert_eq!(r.has_permission, Field::Present(false));
    assert_eq!(r.extra["Trusted"], true);
}

#[test]
fn iam_root_user() {
    let r: IamRootUser = roundtrip(json!({
        "ARN": "arn:aws:iam::111122223333:root",
        "Arn": "arn:aws:iam::111122223333:root",
        "UserID": null,
        "UserName": "root",
        "CredentialReport": {
            "ARN": "arn:aws:iam::111122223333:root",
            "AccessKey1Active": false,
            "AccessKey2Active": false,
            "MfaActive": true,
            "PasswordLastUsed": "2024-02-01T00:00:00Z"
        },
        "VirtualMFA": {"SerialNumber": "arn:aws:iam::111122223333:mfa/root", "EnableDate": "2023-01-01T00:00:00Z"},
        "Hardware": false
    }));
    assert_eq!(s(&r.arn), s(&r.arn_));
    assert_eq!(r.user_id, Field::Null);
    let report = get(&r.credential_report);
    assert_eq!(report.mfa_active, Field::Present(true));
    assert_eq!(report.access_key1_active, Field::Present(false));
    assert_eq!(s(&get(&r.virtual_mfa).serial_number), Some("arn:aws:iam::111122223333:mfa/root"));
    assert_eq!(r.extra["Hardware"], false);
}

#[test]
fn iam_user() {
    let r: IamUser = roundtrip(json!({
        "Arn": "arn:aws:iam::111122223333:user/ana",
        "UserId": "AIDA1",
        "UserID": "AIDA1",
        "UserName": "ana",
        "CredentialReport": {"PasswordEnabled": true, "AccessKey1LastRotated": "2024-01-01T00:00:00Z", "MfaActive": false},
        "Groups": [{"GroupName": "devs", "GroupId": "AGPA1"}],
        "InlinePolicies": {"scratch": "{}"},
        "ManagedPolicyNames": [],
        "PasswordLastUsed": null,
        "PermissionsBoundary": {"PermissionsBoundaryType": "Policy", "PermissionsBoundaryArn": "arn:aws:iam::111122223333:policy/pb"},
        "Console": true
    }));
    assert_eq!(s(&r.user_id), s(&r.user_id_));
    let report = get(&r.credential_report);
    assert_eq!(report.password_enabled, Field::Present(true));
    assert_eq!(s(&report.access_key1_last_rotated), Some("2024-01-01T00:00:00Z"));
    assert_eq!(s(&first(&r.groups).group_name), Some("devs"));
    assert_eq!(r.inline_policies, Field::Present(json!({"scratch": "{}"})));
    assert_eq!(r.password_last_used, Field::Null);
    assert_eq!(s(&get(&r.permissions_boundary).permissions_boundary_type), Some("Policy"));
    assert_eq!(r.extra["Console"], true);
}

#[test]
fn kms_key() {
    let r: KmsKey = roundtrip(json!({
        "AWSAccountId": "111122223333",
        "AccountId": "111122223333",
        "KeyId": "k1",
        "KeyManager": "CUSTOMER",
        "KeyRotationEnabled": true,
        "KeyState": "Enabled",
        "Origin": "AWS_KMS",
        "EncryptionAlgorithms": ["SYMMETRIC_DEFAULT"],
        "MultiRegionConfiguration": {"MultiRegionKeyType": "PRIMARY", "ReplicaKeys": [{"Region": "eu-west-1"}]},
        "Policy": "{\"Version\":\"2012-10-17\",\"Statement\":[]}",
        "Alias": "alias/app"
    }));
    assert_eq!(s(&r.aws_account_id), s(&r.account_id));
    assert_eq!(r.key_rotation_enabled, Field::Present(true));
    let multi_region = get(&r.multi_region_configuration);
    assert_eq!(s(&first(&multi_region.replica_keys).region), Some("eu-west-1"));
    assert!(matches!(r.policy, Field::Present(Value::String(_))));
    assert_eq!(r.extra["Alias"], "alias/app");
}

#[test]
fn lambda_function() {
    let r: LambdaFunction = roundtrip(json!({
        "Name": "resize",
        "Runtime": "python3.12",
        "MemorySize": 256,
        "Environment": {"Variables": {"STAGE": "prod"}, "Error": null},
        "Policy": {
            "Policy": "{\"Version\":\"2012-10-17\",\"Statement\":[]}",
            "RevisionId": "r1"
        },
        "VpcConfig": {"SubnetIds": ["subnet-1"], "SecurityGroupIds": []},
        "Architectures": ["arm64"],
        "Concurrency": 10
    }));
    assert_eq!(r.memory_size, Field::Present(256));
    let environment = get(&r.environment);
    assert_eq!(environment.variables, Field::Present(json!({"STAGE": "prod"})));
    assert_eq!(environment.error, Field::Null);
    let policy = get(&r.policy);
    assert!(matches!(policy.policy, Field::Present(Value::String(_))));
    assert_eq!(s(&policy.revision_id), Some("r1"));
    assert_eq!(get(&get(&r.vpc_config).subnet_ids).len(), 1);
    assert_eq!(r.extra["Concurrency"], 10);
}

#[test]
fn password_policy() {
    let r: PasswordPolicy = roundtrip(json!({
        "AccountId": "111122223333",
        "AnyExist": true,
        "MinimumPasswordLength": 16,
        "MaxPasswordAge": null,
        "PasswordReusePrevention": 12,
        "RequireSymbols": true,
        "ExpirePasswords": false,
        "Lockout": 5
    }));
    assert_eq!(r.any_exist, Field::Present(true));
    assert_eq!(r.minimum_password_length, Field::Present(16));
    assert_eq!(r.max_password_age, Field::Null);
    assert_eq!(r.password_reuse_prevention, Field::Present(12));
    assert_eq!(r.extra["Lockout"], 5);
}

#[test]
fn rds_instance() {
    let r: RdsInstance = roundtrip(json!({
        "DBInstanceIdentifier": "orders-db",
        "Engine": "postgres",
        "BackupRetentionPeriod": 14,
        "MultiAZ": true,
        "PubliclyAccessible": false,
        "StorageEncrypted": true,
        "StorageType": "gp3",
        "Endpoint": {"Address": "orders-db.example.internal", "Port": 5432},
        "DBSubnetGroup": {"DBSubnetGroupName": "private", "Subnets": [{"SubnetIdentifier": "subnet-1", "SubnetAvailabilityZone": {"Name": "us-east-2a"}}]},
        "SnapshotAttributes": [{
            "DBSnapshotIdentifier": "manual-1",
            "DBSnapshotAttributes": [{"AttributeName": "restore", "AttributeValues": ["444455556666"]}]
        }],
        "PendingModifiedValues": {"DBInstanceClass": null, "PendingCloudwatchLogsExports": {"LogTypesToEnable": ["postgresql"]}},
        "Blue": "green"
    }));
    assert_eq!(r.backup_retention_period, Field::Present(14));
    assert_eq!(r.multi_az, Field::Present(true));
    assert_eq!(get(&r.endpoint).port, Field::Present(5432));
    let subnet = first(&get(&r.db_subnet_group).subnets);
    assert_eq!(s(&get(&subnet.subnet_availability_zone).name), Some("us-east-2a"));
    let attribute = first(&first(&r.snapshot_attributes).db_snapshot_attributes);
    assert_eq!(s(&attribute.attribute_name), Some("restore"));
    assert_eq!(attribute.attribute_values, Field::Present(json!(["444455556666"])));
    let pending = get(&r.pending_modified_values);
    assert_eq!(pending.db_instance_class, Field::Null);
    assert_eq!(get(&get(&pending.pending_cloudwatch_logs_exports).log_types_to_enable).len(), 1);
    assert_eq!(r.extra["Blue"], "green");
}

#[test]
fn redshift_cluster() {
    let r: RedshiftCluster = roundtrip(json!({
        "ClusterIdentifier": "warehouse",
        "AllowVersionUpgrade": true,
        "AutomatedSnapshotRetentionPeriod": 7,
        "Encrypted": true,
        "Endpoint": {"Address": "warehouse.example.internal", "Port": 5439},
        "LoggingStatus": {"LoggingEnabled": true, "LogDestinationType": "cloudwatch", "LogExports": ["useractivitylog"]},
        "PreferredMaintenanceWindow": "sun:05:00-sun:05:30",
        "ClusterNodes": [{"NodeRole": "LEADER", "PrivateIPAddress": "10.0.0.5"}],
        "RestoreStatus": {"CurrentRestoreRateInMegaBytesPerSecond": 12.5, "Status": "completed"},
        "Workgroup": null
    }));
    assert_eq!(r.automated_snapshot_retention_period, Field::Present(7));
    let logging = get(&r.logging_status);
    assert_eq!(logging.logging_enabled, Field::Present(true));
    assert_eq!(get(&logging.log_exports).len(), 1);
    assert_eq!(s(&first(&r.cluster_nodes).private_ip_address), Some("10.0.0.5"));
    assert_eq!(get(&r.restore_status).current_restore_rate_in_mega_bytes_per_second, Field::Present(12.5));
    assert_eq!(r.extra["Workgroup"], Value::Null);
}

#[test]
fn route53_hosted_zone() {
    let r: Route53HostedZone = roundtrip(json!({
        "Id": "/hostedzone/Z123",
        "Name": "example.org.",
        "Config": {"Comment": "public zone", "PrivateZone": false},
        "ResourceRecordSetCount": 4,
        "QueryLoggingConfigs": [{"Id": "q1", "CloudWatchLogsLogGroupArn": "arn:aws:logs:us-east-1:111122223333:log-group:/aws/route53/example.org"}],
        "ResourceRecordSets": [
            {"Name": "example.org.", "Type": "A", "AliasTarget": {"DNSName": "d1.cloudfront.net.", "EvaluateTargetHealth": false}},
            {"Name": "www.example.org.", "Type": "CNAME", "TTL": 300, "ResourceRecords": [{"Value": "example.org"}]}
        ],
        "DNSSEC": "NOT_SIGNING"
    }));
    assert_eq!(get(&r.config).private_zone, Field::Present(false));
    assert_eq!(r.resource_record_set_count, Field::Present(4));
    assert_eq!(s(&first(&r.query_logging_configs).id), Some("q1"));
    let records = get(&r.resource_record_sets);
    assert_eq!(s(&get(&records[0].alias_target).dns_name), Some("d1.cloudfront.net."));
    assert_eq!(records[1].ttl, Field::Present(300));
    assert_eq!(s(&first(&records[1].resource_records).value), Some("example.org"));
    assert_eq!(r.extra["DNSSEC"], "NOT_SIGNING");
}

#[test]
fn route53_domain() {
    let r: Route53Domain = roundtrip(json!({
        "DomainName": "example.org",
        "AutoRenew": true,
        "TransferLock": false,
        "Expiry": "2027-03-01T00:00:00Z",
        "Nameservers": [{"Name": "ns-1.awsdns-01.org", "GlueIps": []}],
        "AdminContact": {"ContactType": "COMPANY", "CountryCode": "NZ", "ExtraParams": [{"Name": "VAT", "Value": "1"}]},
        "AdminPrivacy": true,
        "StatusList": ["clientTransferProhibited"],
        "DnssecKeys": [{"Algorithm": 13, "KeyTag": 1234, "Flags": 257}],
        "Premium": false
    }));
    assert_eq!(r.auto_renew, Field::Present(true));
    assert_eq!(r.transfer_lock, Field::Present(false));
    assert_eq!(s(&first(&r.nameservers).name), Some("ns-1.awsdns-01.org"));
    let contact = get(&r.admin_contact);
    assert_eq!(s(&contact.country_code), Some("NZ"));
    assert_eq!(s(&first(&contact.extra_params).name), Some("VAT"));
    assert_eq!(first(&r.dnssec_keys).key_tag, Field::Present(1234));
    assert_eq!(r.extra["Premium"], false);
}

#[test]
fn s3_bucket() {
    let r: S3Bucket = roundtrip(json!({
        "Name": "logs-archive",
        "EncryptionRules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": null}, "BucketKeyEnabled": true}],
        "Grants": [{"Grantee": {"Type": "Group", "URI": "http://acs.amazonaws.com/groups/global/AllUsers"}, "Permission": "READ"}],
        "LifecycleRules": [{"ID": "expire", "Status": "Enabled", "Expiration": {"Days": 90}, "Filter": {"Prefix": "tmp/"}}],
        "LoggingPolicy": {"TargetBucket": "access-logs", "TargetPrefix": "logs-archive/"},
        "MFADelete": "Enabled",
        "ObjectLockConfiguration": {"ObjectLockEnabled": "Enabled", "Rule": {"DefaultRetention": {"Mode": "GOVERNANCE", "Days": 30}}},
        "Policy": null,
        "PublicAccessBlockConfiguration": {"BlockPublicAcls": true, "BlockPublicPolicy": true, "IgnorePublicAcls": true, "RestrictPublicBuckets": false},
        "Versioning": "Suspended",
        "Website": false
    }));
    let rule = first(&r.encryption_rules);
    let default = get(&rule.apply_server_side_encryption_by_default);
    assert_eq!(s(&default.sse_algorithm), Some("aws:kms"));
    assert_eq!(default.kms_master_key_id, Field::Null);
    let grant = first(&r.grants);
    assert_eq!(s(&get(&grant.grantee).uri), Some("http://acs.amazonaws.com/groups/global/AllUsers"));
    assert_eq!(get(&first(&r.lifecycle_rules).expiration).days, Field::Present(90));
    assert!(matches!(r.logging_policy, Field::Present(Value::Object(_))));
    let retention = get(&get(&get(&r.object_lock_configuration).rule).default_retention);
    assert_eq!(s(&retention.mode), Some("GOVERNANCE"));
    assert_eq!(r.policy, Field::Null);
    assert_eq!(get(&r.public_access_block_configuration).restrict_public_buckets, Field::Present(false));
    assert_eq!(r.extra["Website"], false);
}

#[test]
fn waf_regional_web_acl() {
    let r: WafRegionalWebAcl = roundtrip(json!({
        "WebACLId": "w1",
        "DefaultAction": {"Type": "BLOCK"},
        "AssociatedResources": ["arn:aws:elasticloadbalancing:us-east-2:111122223333:loadbalancer/app/web/1"],
        "LoggingConfiguration": {"LogDestinationConfigs": ["arn:aws:firehose:us-east-2:111122223333:deliverystream/aws-waf-logs-web"], "RedactedFields": null},
        "Rules": [{
            "RuleId": "r1",
            "Priority": 1,
            "Action": {"Type": "BLOCK"},
            "Type": "REGULAR",
            "Predicates": [{"Type": "IPMatch", "Negated": false, "DataId": "ipset-1"}]
        }],
        "Capacity": 10
    }));
    assert_eq!(WafRegionalWebAcl::RESOURCE_TYPE, "AWS.WAF.Regional.WebACL");
    assert_eq!(s(&get(&r.default_action).type_), Some("BLOCK"));
    assert_eq!(get(&r.associated_resources).len(), 1);
    assert_eq!(get(&r.logging_configuration).redacted_fields, Field::Null);
    let rule = first(&r.rules);
    assert_eq!(rule.priority, Field::Present(1));
    assert_eq!(s(&get(&rule.action).type_), Some("BLOCK"));
    assert_eq!(s(&first(&rule.predicates).type_), Some("IPMatch"));
    assert_eq!(r.extra["Capacity"], 10);
}

#[test]
fn waf_web_acl() {
    let r: WafWebAcl = roundtrip(json!({
        "WebACLArn": "arn:aws:waf::111122223333:webacl/w2",
        "LoggingConfiguration": null,
        "Rules": [{"RuleId": "r2", "OverrideAction": {"Type": "NONE"}, "ExcludedRules": [{"RuleId": "r3"}], "Type": "GROUP"}],
        "ResourceType": "AWS.WAF.WebACL",
        "Scope": "CLOUDFRONT"
    }));
    assert_eq!(WafWebAcl::RESOURCE_TYPE, "AWS.WAF.WebACL");
    assert_eq!(r.logging_configuration, Field::Null);
    let rule = first(&r.rules);
    assert_eq!(s(&get(&rule.override_action).type_), Some("NONE"));
    assert_eq!(s(&first(&rule.excluded_rules).rule_id), Some("r3"));
    assert_eq!(s(&r.resource_type), Some("AWS.WAF.WebACL"));
    assert_eq!(r.extra["Scope"], "CLOUDFRONT");
}
