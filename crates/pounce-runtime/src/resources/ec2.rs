//! Amazon EC2 resources.

use serde_json::Value;

crate::resource! {
    /// An Amazon Machine Image (`AWS.EC2.AMI`): `DescribeImages` output plus
    /// Panther's common resource fields.
    pub struct Ami("AWS.EC2.AMI") {
        "AccountId" => account_id: String,
        "Region" => region: String,
        "Arn" => arn_: String,
        "ARN" => arn: String,
        "Id" => id_: String,
        "ID" => id: String,
        "Name" => name: String,
        "Tags" => tags: Value,
        "ResourceId" => resource_id_: String,
        "ResourceID" => resource_id: String,
        "ResourceType" => resource_type: String,
        "TimeCreated" => time_created: String,
        "Architecture" => architecture: String,
        "BlockDeviceMappings" => block_device_mappings: Vec<BlockDeviceMapping>,
        "BootMode" => boot_mode: String,
        "CreationDate" => creation_date: String,
        "DeprecationTime" => deprecation_time: String,
        "DeregistrationProtection" => deregistration_protection: String,
        "Description" => description: String,
        "EnaSupport" => ena_support: bool,
        "Hypervisor" => hypervisor: String,
        "ImageId" => image_id: String,
        "ImageLocation" => image_location: String,
        "ImageOwnerAlias" => image_owner_alias: String,
        "ImageType" => image_type: String,
        "ImdsSupport" => imds_support: String,
        "KernelId" => kernel_id: String,
        "LastLaunchedTime" => last_launched_time: String,
        "OwnerId" => owner_id: String,
        "Platform" => platform: String,
        "PlatformDetails" => platform_details: String,
        "ProductCodes" => product_codes: Vec<ProductCode>,
        "Public" => public: bool,
        "RamdiskId" => ramdisk_id: String,
        "RootDeviceName" => root_device_name: String,
        "RootDeviceType" => root_device_type: String,
        "SourceInstanceId" => source_instance_id: String,
        "SriovNetSupport" => sriov_net_support: String,
        "State" => state: String,
        "StateReason" => state_reason: StateReason,
        "TpmSupport" => tpm_support: String,
        "UsageOperation" => usage_operation: String,
        "VirtualizationType" => virtualization_type: String,
    }
}

crate::object! {
    /// A block device mapping of an AMI (`BlockDeviceMapping`).
    pub struct BlockDeviceMapping {
        "DeviceName" => device_name: String,
        "Ebs" => ebs: EbsBlockDevice,
        "NoDevice" => no_device: String,
        "VirtualName" => virtual_name: String,
    }
}

crate::object! {
    /// The EBS volume of an AMI block device mapping (`EbsBlockDevice`).
    pub struct EbsBlockDevice {
        "DeleteOnTermination" => delete_on_termination: bool,
        "Encrypted" => encrypted: bool,
        "Iops" => iops: i64,
        "KmsKeyId" => kms_key_id: String,
        "OutpostArn" => outpost_arn: String,
        "SnapshotId" => snapshot_id: String,
        "Throughput" => throughput: i64,
        "VolumeSize" => volume_size: i64,
        "VolumeType" => volume_type: String,
    }
}

crate::object! {
    /// A product code of an AMI or instance (`ProductCode`).
    pub struct ProductCode {
        "ProductCodeId" => product_code_id: String,
        "ProductCodeType" => product_code_type: String,
    }
}

crate::object! {
    /// Why an AMI or instance is in its state (`StateReason`).
    pub struct StateReason {
        "Code" => code: String,
        "Message" => message: String,
    }
}

crate::resource! {
    /// An EC2 instance (`AWS.EC2.Instance`): `DescribeInstances` (`Instance`)
    /// plus the `DescribeVolumes` output of its attached volumes, with
    /// Panther's common resource fields.
    pub struct Ec2Instance("AWS.EC2.Instance") {
        "AccountId" => account_id: String,
        "Region" => region: String,
        "Arn" => arn: String,
        "Id" => id: String,
        "Name" => name: String,
        "Tags" => tags: Value,
        "ResourceId" => resource_id: String,
        "ResourceType" => resource_type: String,
        "TimeCreated" => time_created: String,
        "AmiLaunchIndex" => ami_launch_index: i64,
        "Architecture" => architecture: String,
        "BlockDeviceMappings" => block_device_mappings: Vec<InstanceBlockDeviceMapping>,
        "BootMode" => boot_mode: String,
        "CapacityReservationId" => capacity_reservation_id: String,
        "CapacityReservationSpecification" => capacity_reservation_specification: CapacityReservationSpecificationResponse,
        "ClientToken" => client_token: String,
        "CpuOptions" => cpu_options: CpuOptions,
        "CurrentInstanceBootMode" => current_instance_boot_mode: String,
        "EbsOptimized" => ebs_optimized: bool,
        "ElasticGpuAssociations" => elastic_gpu_associations: Vec<ElasticGpuAssociation>,
        "ElasticInferenceAcceleratorAssociations" => elastic_inference_accelerator_associations: Vec<ElasticInferenceAcceleratorAssociation>,
        "EnaSupport" => ena_support: bool,
        "EnclaveOptions" => enclave_options: EnclaveOptions,
        "HibernationOptions" => hibernation_options: HibernationOptions,
        "Hypervisor" => hypervisor: String,
        "IamInstanceProfile" => iam_instance_profile: IamInstanceProfile,
        "ImageId" => image_id: String,
        "InstanceId" => instance_id: String,
        "InstanceLifecycle" => instance_lifecycle: String,
        "InstanceType" => instance_type: String,
        "Ipv6Address" => ipv6_address: String,
        "KernelId" => kernel_id: String,
        "KeyName" => key_name: String,
        "LaunchTime" => launch_time: String,
        "Licenses" => licenses: Vec<LicenseConfiguration>,
        "MaintenanceOptions" => maintenance_options: InstanceMaintenanceOptions,
        "MetadataOptions" => metadata_options: InstanceMetadataOptions,
        "Monitoring" => monitoring: InstanceMonitoring,
        "NetworkInterfaces" => network_interfaces: Vec<InstanceNetworkInterface>,
        "OutpostArn" => outpost_arn: String,
        "Placement" => placement: Placement,
        "Platform" => platform: String,
        "PlatformDetails" => platform_details: String,
        "PrivateDnsName" => private_dns_name: String,
        "PrivateDnsNameOptions" => private_dns_name_options: PrivateDnsNameOptions,
        "PrivateIpAddress" => private_ip_address: String,
        "ProductCodes" => product_codes: Vec<ProductCode>,
        "PublicDnsName" => public_dns_name: String,
        "PublicIpAddress" => public_ip_address: String,
        "RamdiskId" => ramdisk_id: String,
        "RootDeviceName" => root_device_name: String,
        "RootDeviceType" => root_device_type: String,
        "SecurityGroups" => security_groups: Vec<GroupIdentifier>,
        "SourceDestCheck" => source_dest_check: bool,
        "SpotInstanceRequestId" => spot_instance_request_id: String,
        "SriovNetSupport" => sriov_net_support: String,
        "State" => state: InstanceState,
        "StateReason" => state_reason: StateReason,
        "StateTransitionReason" => state_transition_reason: String,
        "SubnetId" => subnet_id: String,
        "TpmSupport" => tpm_support: String,
        "UsageOperation" => usage_operation: String,
        "UsageOperationUpdateTime" => usage_operation_update_time: String,
        "VirtualizationType" => virtualization_type: String,
        "Volumes" => volumes: Vec<InstanceVolume>,
        "VpcId" => vpc_id: String,
    }
}

crate::object! {
    /// A block device attached to an instance (`InstanceBlockDeviceMapping`).
    pub struct InstanceBlockDeviceMapping {
        "DeviceName" => device_name: String,
        "Ebs" => ebs: EbsInstanceBlockDevice,
    }
}

crate::object! {
    /// The EBS volume of an instance block device (`EbsInstanceBlockDevice`).
    pub struct EbsInstanceBlockDevice {
        "AssociatedResource" => associated_resource: String,
        "AttachTime" => attach_time: String,
        "DeleteOnTermination" => delete_on_termination: bool,
        "Status" => status: String,
        "VolumeId" => volume_id: String,
        "VolumeOwnerId" => volume_owner_id: String,
    }
}

crate::object! {
    /// The Capacity Reservation targeting of an instance
    /// (`CapacityReservationSpecificationResponse`).
    pub struct CapacityReservationSpecificationResponse {
        "CapacityReservationPreference" => capacity_reservation_preference: String,
        "CapacityReservationTarget" => capacity_reservation_target: CapacityReservationTargetResponse,
    }
}

crate::object! {
    /// A targeted Capacity Reservation (`CapacityReservationTargetResponse`).
    pub struct CapacityReservationTargetResponse {
        "CapacityReservationId" => capacity_reservation_id: String,
        "CapacityReservationResourceGroupArn" => capacity_reservation_resource_group_arn: String,
    }
}

crate::object! {
    /// The CPU options of an instance (`CpuOptions`).
    pub struct CpuOptions {
        "AmdSevSnp" => amd_sev_snp: String,
        "CoreCount" => core_count: i64,
        "ThreadsPerCore" => threads_per_core: i64,
    }
}

crate::object! {
    /// An Elastic GPU associated with an instance (`ElasticGpuAssociation`).
    pub struct ElasticGpuAssociation {
        "ElasticGpuAssociationId" => elastic_gpu_association_id: String,
        "ElasticGpuAssociationState" => elastic_gpu_association_state: String,
        "ElasticGpuAssociationTime" => elastic_gpu_association_time: String,
        "ElasticGpuId" => elastic_gpu_id: String,
    }
}

crate::object! {
    /// An elastic inference accelerator of an instance
    /// (`ElasticInferenceAcceleratorAssociation`).
    pub struct ElasticInferenceAcceleratorAssociation {
        "ElasticInferenceAcceleratorArn" => elastic_inference_accelerator_arn: String,
        "ElasticInferenceAcceleratorAssociationId" => elastic_inference_accelerator_association_id: String,
        "ElasticInferenceAcceleratorAssociationState" => elastic_inference_accelerator_association_state: String,
        "ElasticInferenceAcceleratorAssociationTime" => elastic_inference_accelerator_association_time: String,
    }
}

crate::object! {
    /// Whether Nitro Enclaves are enabled (`EnclaveOptions`).
    pub struct EnclaveOptions {
        "Enabled" => enabled: bool,
    }
}

crate::object! {
    /// Whether hibernation is configured (`HibernationOptions`).
    pub struct HibernationOptions {
        "Configured" => configured: bool,
    }
}

crate::object! {
    /// The IAM instance profile of an instance (`IamInstanceProfile`).
    pub struct IamInstanceProfile {
        "Arn" => arn: String,
        "Id" => id: String,
    }
}

crate::object! {
    /// A license configuration of an instance (`LicenseConfiguration`).
    pub struct LicenseConfiguration {
        "LicenseConfigurationArn" => license_configuration_arn: String,
    }
}

crate::object! {
    /// The maintenance options of an instance (`InstanceMaintenanceOptions`).
    pub struct InstanceMaintenanceOptions {
        "AutoRecovery" => auto_recovery: String,
        "RebootMigration" => reboot_migration: String,
    }
}

crate::object! {
    /// The instance metadata service options
    /// (`InstanceMetadataOptionsResponse`).
    pub struct InstanceMetadataOptions {
        "HttpEndpoint" => http_endpoint: String,
        "HttpProtocolIpv6" => http_protocol_ipv6: String,
        "HttpPutResponseHopLimit" => http_put_response_hop_limit: i64,
        "HttpTokens" => http_tokens: String,
        "InstanceMetadataTags" => instance_metadata_tags: String,
        "State" => state: String,
    }
}

crate::object! {
    /// The monitoring of an instance (`Monitoring`).
    pub struct InstanceMonitoring {
        "State" => state: String,
    }
}

crate::object! {
    /// A network interface of an instance (`InstanceNetworkInterface`).
    pub struct InstanceNetworkInterface {
        "Association" => association: InstanceNetworkInterfaceAssociation,
        "Attachment" => attachment: InstanceNetworkInterfaceAttachment,
        "Description" => description: String,
        "Groups" => groups: Vec<GroupIdentifier>,
        "InterfaceType" => interface_type: String,
        "Ipv4Prefixes" => ipv4_prefixes: Vec<InstanceIpv4Prefix>,
        "Ipv6Addresses" => ipv6_addresses: Vec<InstanceIpv6Address>,
        "Ipv6Prefixes" => ipv6_prefixes: Vec<InstanceIpv6Prefix>,
        "MacAddress" => mac_address: String,
        "NetworkInterfaceId" => network_interface_id: String,
        "OwnerId" => owner_id: String,
        "PrivateDnsName" => private_dns_name: String,
        "PrivateIpAddress" => private_ip_address: String,
        "PrivateIpAddresses" => private_ip_addresses: Vec<InstancePrivateIpAddress>,
        "SourceDestCheck" => source_dest_check: bool,
        "Status" => status: String,
        "SubnetId" => subnet_id: String,
        "VpcId" => vpc_id: String,
    }
}

crate::object! {
    /// The public IPv4 association of a network interface or address
    /// (`InstanceNetworkInterfaceAssociation`).
    pub struct InstanceNetworkInterfaceAssociation {
        "CarrierIp" => carrier_ip: String,
        "CustomerOwnedIp" => customer_owned_ip: String,
        "IpOwnerId" => ip_owner_id: String,
        "PublicDnsName" => public_dns_name: String,
        "PublicIp" => public_ip: String,
    }
}

crate::object! {
    /// The attachment of a network interface
    /// (`InstanceNetworkInterfaceAttachment`).
    pub struct InstanceNetworkInterfaceAttachment {
        "AttachTime" => attach_time: String,
        "AttachmentId" => attachment_id: String,
        "DeleteOnTermination" => delete_on_termination: bool,
        "DeviceIndex" => device_index: i64,
        "NetworkCardIndex" => network_card_index: i64,
        "Status" => status: String,
    }
}

crate::object! {
    /// A security group of an instance or network interface
    /// (`GroupIdentifier`).
    pub struct GroupIdentifier {
        "GroupId" => group_id: String,
        "GroupName" => group_name: String,
    }
}

crate::object! {
    /// An IPv4 prefix of a network interface (`InstanceIpv4Prefix`).
    pub struct InstanceIpv4Prefix {
        "Ipv4Prefix" => ipv4_prefix: String,
    }
}

crate::object! {
    /// An IPv6 address of a network interface (`InstanceIpv6Address`).
    pub struct InstanceIpv6Address {
        "Ipv6Address" => ipv6_address: String,
        "IsPrimaryIpv6" => is_primary_ipv6: bool,
    }
}

crate::object! {
    /// An IPv6 prefix of a network interface (`InstanceIpv6Prefix`).
    pub struct InstanceIpv6Prefix {
        "Ipv6Prefix" => ipv6_prefix: String,
    }
}

crate::object! {
    /// A private IPv4 address of a network interface
    /// (`InstancePrivateIpAddress`).
    pub struct InstancePrivateIpAddress {
        "Association" => association: InstanceNetworkInterfaceAssociation,
        "Primary" => primary: bool,
        "PrivateDnsName" => private_dns_name: String,
        "PrivateIpAddress" => private_ip_address: String,
    }
}

crate::object! {
    /// Where an instance runs (`Placement`).
    pub struct Placement {
        "Affinity" => affinity: String,
        "AvailabilityZone" => availability_zone: String,
        "AvailabilityZoneId" => availability_zone_id: String,
        "GroupId" => group_id: String,
        "GroupName" => group_name: String,
        "HostId" => host_id: String,
        "HostResourceGroupArn" => host_resource_group_arn: String,
        "PartitionNumber" => partition_number: i64,
        "SpreadDomain" => spread_domain: String,
        "Tenancy" => tenancy: String,
    }
}

crate::object! {
    /// The hostname options of an instance (`PrivateDnsNameOptionsResponse`).
    pub struct PrivateDnsNameOptions {
        "EnableResourceNameDnsAAAARecord" => enable_resource_name_dns_aaaa_record: bool,
        "EnableResourceNameDnsARecord" => enable_resource_name_dns_a_record: bool,
        "HostnameType" => hostname_type: String,
    }
}

crate::object! {
    /// The state of an instance (`InstanceState`).
    pub struct InstanceState {
        "Code" => code: i64,
        "Name" => name: String,
    }
}

crate::object! {
    /// An EBS volume attached to an instance (`Volume` of `DescribeVolumes`).
    /// `Tags` comes as a tag map or as a list of `{Key, Value}` pairs.
    pub struct InstanceVolume {
        "Attachments" => attachments: Vec<VolumeAttachment>,
        "AvailabilityZone" => availability_zone: String,
        "CreateTime" => create_time: String,
        "Encrypted" => encrypted: bool,
        "FastRestored" => fast_restored: bool,
        "Iops" => iops: i64,
        "KmsKeyId" => kms_key_id: String,
        "MultiAttachEnabled" => multi_attach_enabled: bool,
        "OutpostArn" => outpost_arn: String,
        "Size" => size: i64,
        "SnapshotId" => snapshot_id: String,
        "SseType" => sse_type: String,
        "State" => state: String,
        "Tags" => tags: Value,
        "Throughput" => throughput: i64,
        "VolumeId" => volume_id: String,
        "VolumeType" => volume_type: String,
    }
}

crate::object! {
    /// An attachment of an EBS volume (`VolumeAttachment`).
    pub struct VolumeAttachment {
        "AssociatedResource" => associated_resource: String,
        "AttachTime" => attach_time: String,
        "DeleteOnTermination" => delete_on_termination: bool,
        "Device" => device: String,
        "InstanceId" => instance_id: String,
        "InstanceOwningService" => instance_owning_service: String,
        "State" => state: String,
        "VolumeId" => volume_id: String,
    }
}

crate::resource! {
    /// A VPC network ACL (`AWS.EC2.NetworkACL`): `DescribeNetworkAcls`
    /// (`NetworkAcl`) plus Panther's common resource fields.
    pub struct NetworkAcl("AWS.EC2.NetworkACL") {
        "AccountId" => account_id: String,
        "Region" => region: String,
        "Arn" => arn_: String,
        "ARN" => arn: String,
        "Id" => id_: String,
        "ID" => id: String,
        "Name" => name: String,
        "Tags" => tags: Value,
        "ResourceId" => resource_id_: String,
        "ResourceID" => resource_id: String,
        "ResourceType" => resource_type: String,
        "TimeCreated" => time_created: String,
        "Associations" => associations: Vec<NetworkAclAssociation>,
        "Entries" => entries: Vec<NetworkAclEntry>,
        "IsDefault" => is_default: bool,
        "NetworkAclId" => network_acl_id: String,
        "OwnerId" => owner_id: String,
        "VpcId" => vpc_id: String,
    }
}

crate::object! {
    /// A subnet associated with a network ACL (`NetworkAclAssociation`).
    pub struct NetworkAclAssociation {
        "NetworkAclAssociationId" => network_acl_association_id: String,
        "NetworkAclId" => network_acl_id: String,
        "SubnetId" => subnet_id: String,
    }
}

crate::object! {
    /// A rule of a network ACL (`NetworkAclEntry`).
    pub struct NetworkAclEntry {
        "CidrBlock" => cidr_block: String,
        "Egress" => egress: bool,
        "IcmpTypeCode" => icmp_type_code: NetworkAclIcmpTypeCode,
        "Ipv6CidrBlock" => ipv6_cidr_block: String,
        "PortRange" => port_range: NetworkAclPortRange,
        "Protocol" => protocol: String,
        "RuleAction" => rule_action: String,
        "RuleNumber" => rule_number: i64,
    }
}

crate::object! {
    /// The ICMP type and code of a rule (`IcmpTypeCode`).
    pub struct NetworkAclIcmpTypeCode {
        "Code" => code: i64,
        "Type" => type_: i64,
    }
}

crate::object! {
    /// The port range of a rule (`PortRange`).
    pub struct NetworkAclPortRange {
        "From" => from: i64,
        "To" => to: i64,
    }
}

crate::resource! {
    /// A security group (`AWS.EC2.SecurityGroup`): `DescribeSecurityGroups`
    /// (`SecurityGroup`) plus Panther's common resource fields.
    pub struct SecurityGroup("AWS.EC2.SecurityGroup") {
        "AccountId" => account_id: String,
        "Region" => region: String,
        "Arn" => arn: String,
        "Id" => id: String,
        "Name" => name: String,
        "Tags" => tags: Value,
        "ResourceId" => resource_id: String,
        "ResourceType" => resource_type: String,
        "TimeCreated" => time_created: String,
        "Description" => description: String,
        "GroupId" => group_id: String,
        "GroupName" => group_name: String,
        "IpPermissions" => ip_permissions: Vec<IpPermission>,
        "IpPermissionsEgress" => ip_permissions_egress: Vec<IpPermission>,
        "OwnerId" => owner_id: String,
        "SecurityGroupArn" => security_group_arn: String,
        "VpcId" => vpc_id: String,
    }
}

crate::object! {
    /// An inbound or outbound rule of a security group (`IpPermission`).
    pub struct IpPermission {
        "FromPort" => from_port: i64,
        "IpProtocol" => ip_protocol: String,
        "IpRanges" => ip_ranges: Vec<IpRange>,
        "Ipv6Ranges" => ipv6_ranges: Vec<Ipv6Range>,
        "PrefixListIds" => prefix_list_ids: Vec<PrefixListId>,
        "ToPort" => to_port: i64,
        "UserIdGroupPairs" => user_id_group_pairs: Vec<UserIdGroupPair>,
    }
}

crate::object! {
    /// An IPv4 range of a rule (`IpRange`).
    pub struct IpRange {
        "CidrIp" => cidr_ip: String,
        "Description" => description: String,
    }
}

crate::object! {
    /// An IPv6 range of a rule (`Ipv6Range`).
    pub struct Ipv6Range {
        "CidrIpv6" => cidr_ipv6: String,
        "Description" => description: String,
    }
}

crate::object! {
    /// A prefix list of a rule (`PrefixListId`).
    pub struct PrefixListId {
        "Description" => description: String,
        "PrefixListId" => prefix_list_id: String,
    }
}

crate::object! {
    /// A security group a rule refers to (`UserIdGroupPair`).
    pub struct UserIdGroupPair {
        "Description" => description: String,
        "GroupId" => group_id: String,
        "GroupName" => group_name: String,
        "PeeringStatus" => peering_status: String,
        "UserId" => user_id: String,
        "VpcId" => vpc_id: String,
        "VpcPeeringConnectionId" => vpc_peering_connection_id: String,
    }
}

crate::resource! {
    /// An EBS volume (`AWS.EC2.Volume`): `DescribeVolumes` (`Volume`) plus
    /// its `DescribeSnapshots` snapshots, with Panther's common resource
    /// fields.
    pub struct Ec2Volume("AWS.EC2.Volume") {
        "AccountId" => account_id: String,
        "Region" => region: String,
        "Arn" => arn_: String,
        "ARN" => arn: String,
        "Id" => id_: String,
        "ID" => id: String,
        "Name" => name: String,
        "Tags" => tags: Value,
        "ResourceId" => resource_id_: String,
        "ResourceID" => resource_id: String,
        "ResourceType" => resource_type: String,
        "TimeCreated" => time_created: String,
        "Attachments" => attachments: Vec<VolumeAttachment>,
        "AvailabilityZone" => availability_zone: String,
        "CreateTime" => create_time: String,
        "Encrypted" => encrypted: bool,
        "FastRestored" => fast_restored: bool,
        "Iops" => iops: i64,
        "KmsKeyId" => kms_key_id: String,
        "MultiAttachEnabled" => multi_attach_enabled: bool,
        "OutpostArn" => outpost_arn: String,
        "Size" => size: i64,
        "SnapshotId" => snapshot_id: String,
        "Snapshots" => snapshots: Vec<Ec2Snapshot>,
        "SseType" => sse_type: String,
        "State" => state: String,
        "Throughput" => throughput: i64,
        "VolumeId" => volume_id: String,
        "VolumeType" => volume_type: String,
    }
}

crate::object! {
    /// A snapshot of a volume (`Snapshot` of `DescribeSnapshots`) with its
    /// `DescribeSnapshotAttribute` create-volume permissions.
    pub struct Ec2Snapshot {
        "CompletionTime" => completion_time: String,
        "CreateVolumePermissions" => create_volume_permissions: Vec<CreateVolumePermission>,
        "DataEncryptionKeyId" => data_encryption_key_id: String,
        "Description" => description: String,
        "Encrypted" => encrypted: bool,
        "KmsKeyId" => kms_key_id: String,
        "OutpostArn" => outpost_arn: String,
        "OwnerAlias" => owner_alias: String,
        "OwnerId" => owner_id: String,
        "Progress" => progress: String,
        "RestoreExpiryTime" => restore_expiry_time: String,
        "SnapshotId" => snapshot_id: String,
        "SseType" => sse_type: String,
        "StartTime" => start_time: String,
        "State" => state: String,
        "StateMessage" => state_message: String,
        "StorageTier" => storage_tier: String,
        "Tags" => tags: Value,
        "VolumeId" => volume_id: String,
        "VolumeSize" => volume_size: i64,
    }
}

crate::object! {
    /// Who may create volumes from a snapshot (`CreateVolumePermission`).
    pub struct CreateVolumePermission {
        "Group" => group: String,
        "UserId" => user_id: String,
    }
}

crate::resource! {
    /// A VPC (`AWS.EC2.VPC`): `DescribeVpcs` (`Vpc`) plus its flow logs,
    /// network ACLs, route tables and security groups, with Panther's common
    /// resource fields.
    pub struct Vpc("AWS.EC2.VPC") {
        "AccountId" => account_id: String,
        "Region" => region: String,
        "Arn" => arn: String,
        "Id" => id: String,
        "Name" => name: String,
        "Tags" => tags: Value,
        "ResourceId" => resource_id: String,
        "ResourceType" => resource_type: String,
        "TimeCreated" => time_created: String,
        "CidrBlock" => cidr_block: String,
        "CidrBlockAssociationSet" => cidr_block_association_set: Vec<VpcCidrBlockAssociation>,
        "DefaultNetworkAclId" => default_network_acl_id: String,
        "DefaultSecurityGroupId" => default_security_group_id: String,
        "DhcpOptionsId" => dhcp_options_id: String,
        "FlowLogs" => flow_logs: Vec<FlowLog>,
        "InstanceTenancy" => instance_tenancy: String,
        "Ipv6CidrBlockAssociationSet" => ipv6_cidr_block_association_set: Vec<VpcIpv6CidrBlockAssociation>,
        "IsDefault" => is_default: bool,
        "NetworkAcls" => network_acls: Vec<VpcNetworkAcl>,
        "OwnerId" => owner_id: String,
        "RouteTables" => route_tables: Vec<RouteTable>,
        "SecurityGroups" => security_groups: Vec<VpcSecurityGroup>,
        /// Stale security groups: group IDs or `StaleSecurityGroup` objects.
        "StaleSecurityGroups" => stale_security_groups: Value,
        "State" => state: String,
        "VpcId" => vpc_id: String,
    }
}

crate::object! {
    /// An IPv4 CIDR block of a VPC (`VpcCidrBlockAssociation`).
    pub struct VpcCidrBlockAssociation {
        "AssociationId" => association_id: String,
        "CidrBlock" => cidr_block: String,
        "CidrBlockState" => cidr_block_state: VpcCidrBlockState,
    }
}

crate::object! {
    /// An IPv6 CIDR block of a VPC (`VpcIpv6CidrBlockAssociation`).
    pub struct VpcIpv6CidrBlockAssociation {
        "AssociationId" => association_id: String,
        "IpSource" => ip_source: String,
        "Ipv6AddressAttribute" => ipv6_address_attribute: String,
        "Ipv6CidrBlock" => ipv6_cidr_block: String,
        "Ipv6CidrBlockState" => ipv6_cidr_block_state: VpcCidrBlockState,
        "Ipv6Pool" => ipv6_pool: String,
        "NetworkBorderGroup" => network_border_group: String,
    }
}

crate::object! {
    /// The state of a VPC CIDR block (`VpcCidrBlockState`).
    pub struct VpcCidrBlockState {
        "State" => state: String,
        "StatusMessage" => status_message: String,
    }
}

crate::object! {
    /// A flow log of a VPC (`FlowLog` of `DescribeFlowLogs`).
    pub struct FlowLog {
        "CreationTime" => creation_time: String,
        "DeliverCrossAccountRole" => deliver_cross_account_role: String,
        "DeliverLogsErrorMessage" => deliver_logs_error_message: String,
        "DeliverLogsPermissionArn" => deliver_logs_permission_arn: String,
        "DeliverLogsStatus" => deliver_logs_status: String,
        "DestinationOptions" => destination_options: FlowLogDestinationOptions,
        "FlowLogId" => flow_log_id: String,
        "FlowLogStatus" => flow_log_status: String,
        "LogDestination" => log_destination: String,
        "LogDestinationType" => log_destination_type: String,
        "LogFormat" => log_format: String,
        "LogGroupName" => log_group_name: String,
        "MaxAggregationInterval" => max_aggregation_interval: i64,
        "ResourceId" => resource_id: String,
        "Tags" => tags: Value,
        "TrafficType" => traffic_type: String,
    }
}

crate::object! {
    /// The S3 destination options of a flow log (`DestinationOptionsResponse`).
    pub struct FlowLogDestinationOptions {
        "FileFormat" => file_format: String,
        "HiveCompatiblePartitions" => hive_compatible_partitions: bool,
        "PerHourPartition" => per_hour_partition: bool,
    }
}

crate::object! {
    /// A network ACL of a VPC (`NetworkAcl` of `DescribeNetworkAcls`).
    pub struct VpcNetworkAcl {
        "Associations" => associations: Vec<NetworkAclAssociation>,
        "Entries" => entries: Vec<NetworkAclEntry>,
        "IsDefault" => is_default: bool,
        "NetworkAclId" => network_acl_id: String,
        "OwnerId" => owner_id: String,
        "Tags" => tags: Value,
        "VpcId" => vpc_id: String,
    }
}

crate::object! {
    /// A route table of a VPC (`RouteTable` of `DescribeRouteTables`).
    pub struct RouteTable {
        "Associations" => associations: Vec<RouteTableAssociation>,
        "OwnerId" => owner_id: String,
        "PropagatingVgws" => propagating_vgws: Vec<PropagatingVgw>,
        "RouteTableId" => route_table_id: String,
        "Routes" => routes: Vec<Route>,
        "Tags" => tags: Value,
        "VpcId" => vpc_id: String,
    }
}

crate::object! {
    /// A subnet or gateway associated with a route table
    /// (`RouteTableAssociation`).
    pub struct RouteTableAssociation {
        "AssociationState" => association_state: RouteTableAssociationState,
        "GatewayId" => gateway_id: String,
        "Main" => main: bool,
        "RouteTableAssociationId" => route_table_association_id: String,
        "RouteTableId" => route_table_id: String,
        "SubnetId" => subnet_id: String,
    }
}

crate::object! {
    /// The state of a route table association (`RouteTableAssociationState`).
    pub struct RouteTableAssociationState {
        "State" => state: String,
        "StatusMessage" => status_message: String,
    }
}

crate::object! {
    /// A virtual private gateway propagating routes (`PropagatingVgw`).
    pub struct PropagatingVgw {
        "GatewayId" => gateway_id: String,
    }
}

crate::object! {
    /// A route of a route table (`Route`).
    pub struct Route {
        "CarrierGatewayId" => carrier_gateway_id: String,
        "CoreNetworkArn" => core_network_arn: String,
        "DestinationCidrBlock" => destination_cidr_block: String,
        "DestinationIpv6CidrBlock" => destination_ipv6_cidr_block: String,
        "DestinationPrefixListId" => destination_prefix_list_id: String,
        "EgressOnlyInternetGatewayId" => egress_only_internet_gateway_id: String,
        "GatewayId" => gateway_id: String,
        "InstanceId" => instance_id: String,
        "InstanceOwnerId" => instance_owner_id: String,
        "LocalGatewayId" => local_gateway_id: String,
        "NatGatewayId" => nat_gateway_id: String,
        "NetworkInterfaceId" => network_interface_id: String,
        "Origin" => origin: String,
        "State" => state: String,
        "TransitGatewayId" => transit_gateway_id: String,
        "VpcPeeringConnectionId" => vpc_peering_connection_id: String,
    }
}

crate::object! {
    /// A security group of a VPC (`SecurityGroup` of `DescribeSecurityGroups`).
    pub struct VpcSecurityGroup {
        "Description" => description: String,
        "GroupId" => group_id: String,
        "GroupName" => group_name: String,
        "IpPermissions" => ip_permissions: Vec<IpPermission>,
        "IpPermissionsEgress" => ip_permissions_egress: Vec<IpPermission>,
        "OwnerId" => owner_id: String,
        "SecurityGroupArn" => security_group_arn: String,
        "Tags" => tags: Value,
        "VpcId" => vpc_id: String,
    }
}
