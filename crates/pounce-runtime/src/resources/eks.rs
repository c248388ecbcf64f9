//! Amazon EKS resources.

use serde_json::Value;

crate::resource! {
    /// An EKS cluster (`AWS.EKS.Cluster`): `DescribeCluster` (`Cluster`) plus
    /// its managed node groups (`DescribeNodegroup`) and Fargate profiles
    /// (`DescribeFargateProfile`), with Panther's common resource fields.
    pub struct EksCluster("AWS.EKS.Cluster") {
        "AccountId" => account_id: String,
        "Region" => region: String,
        "Arn" => arn: String,
        "Id" => id: String,
        "Name" => name: String,
        "Tags" => tags: Value,
        "ResourceId" => resource_id: String,
        "ResourceType" => resource_type: String,
        "TimeCreated" => time_created: String,
        "AccessConfig" => access_config: EksAccessConfig,
        "CertificateAuthority" => certificate_authority: EksCertificate,
        "ClientRequestToken" => client_request_token: String,
        "CreatedAt" => created_at: String,
        "EncryptionConfig" => encryption_config: Vec<EksEncryptionConfig>,
        "Endpoint" => endpoint: String,
        "FargateProfile" => fargate_profile: Vec<EksFargateProfile>,
        "Health" => health: EksHealth,
        "Identity" => identity: EksIdentity,
        "KubernetesNetworkConfig" => kubernetes_network_config: EksKubernetesNetworkConfig,
        "Logging" => logging: EksLogging,
        "NodeGroup" => node_group: Vec<EksNodegroup>,
        "PlatformVersion" => platform_version: String,
        "ResourcesVpcConfig" => resources_vpc_config: EksVpcConfig,
        "RoleArn" => role_arn: String,
        "Status" => status: String,
        "UpgradePolicy" => upgrade_policy: EksUpgradePolicy,
        "Version" => version: String,
    }
}

crate::object! {
    /// The access configuration of a cluster (`AccessConfigResponse`).
    pub struct EksAccessConfig {
        "AuthenticationMode" => authentication_mode: String,
        "BootstrapClusterCreatorAdminPermissions" => bootstrap_cluster_creator_admin_permissions: bool,
    }
}

crate::object! {
    /// The certificate authority data of a cluster (`Certificate`).
    pub struct EksCertificate {
        "Data" => data: String,
    }
}

crate::object! {
    /// The envelope encryption of a cluster (`EncryptionConfig`).
    pub struct EksEncryptionConfig {
        "Provider" => provider: EksProvider,
        "Resources" => resources: Vec<String>,
    }
}

crate::object! {
    /// The KMS key of an encryption configuration (`Provider`).
    pub struct EksProvider {
        "KeyArn" => key_arn: String,
    }
}

crate::object! {
    /// The health of a cluster or node group (`ClusterHealth`,
    /// `NodegroupHealth`).
    pub struct EksHealth {
        "Issues" => issues: Vec<EksIssue>,
    }
}

crate::object! {
    /// A health issue (`ClusterIssue`, `Issue`).
    pub struct EksIssue {
        "Code" => code: String,
        "Message" => message: String,
        "ResourceIds" => resource_ids: Vec<String>,
    }
}

crate::object! {
    /// The identity provider of a cluster (`Identity`).
    pub struct EksIdentity {
        "Oidc" => oidc: EksOidc,
    }
}

crate::object! {
    /// The OIDC issuer of a cluster (`OIDC`).
    pub struct EksOidc {
        "Issuer" => issuer: String,
    }
}

crate::object! {
    /// The Kubernetes network configuration
    /// (`KubernetesNetworkConfigResponse`).
    pub struct EksKubernetesNetworkConfig {
        "IpFamily" => ip_family: String,
        "ServiceIpv4Cidr" => service_ipv4_cidr: String,
        "ServiceIpv6Cidr" => service_ipv6_cidr: String,
    }
}

crate::object! {
    /// The control plane logging of a cluster (`Logging`).
    pub struct EksLogging {
        "ClusterLogging" => cluster_logging: Vec<EksLogSetup>,
    }
}

crate::object! {
    /// Which control plane log types are enabled (`LogSetup`).
    pub struct EksLogSetup {
        "Enabled" => enabled: bool,
        "Types" => types: Vec<String>,
    }
}

crate::object! {
    /// The VPC configuration of a cluster (`VpcConfigResponse`).
    pub struct EksVpcConfig {
        "ClusterSecurityGroupId" => cluster_security_group_id: String,
        "EndpointPrivateAccess" => endpoint_private_access: bool,
        "EndpointPublicAccess" => endpoint_public_access: bool,
        "PublicAccessCidrs" => public_access_cidrs: Vec<String>,
        "SecurityGroupIds" => security_group_ids: Vec<String>,
        "SubnetIds" => subnet_ids: Vec<String>,
        "VpcId" => vpc_id: String,
    }
}

crate::object! {
    /// The support policy of a cluster (`UpgradePolicyResponse`).
    pub struct EksUpgradePolicy {
        "SupportType" => support_type: String,
    }
}

crate::object! {
    /// A managed node group of a cluster (`Nodegroup` of `DescribeNodegroup`)
    /// with Panther's common AWS fields.
    pub struct EksNodegroup {
        "AccountId" => account_id: String,
        "Region" => region: String,
        "Arn" => arn: String,
        "Id" => id: String,
        "Name" => name: String,
        "Tags" => tags: Value,
        "TimeCreated" => time_created: String,
        "AmiType" => ami_type: String,
        "CapacityType" => capacity_type: String,
        "ClusterName" => cluster_name: String,
        "CreatedAt" => created_at: String,
        "DiskSize" => disk_size: i64,
        "Health" => health: EksHealth,
        "InstanceTypes" => instance_types: Vec<String>,
        "Labels" => labels: Value,
        "LaunchTemplate" => launch_template: EksLaunchTemplateSpecification,
        "ModifiedAt" => modified_at: String,
        "NodeRole" => node_role: String,
        "NodegroupArn" => nodegroup_arn: String,
        "NodegroupName" => nodegroup_name: String,
        "ReleaseVersion" => release_version: String,
        "RemoteAccess" => remote_access: EksRemoteAccessConfig,
        "Resources" => resources: EksNodegroupResources,
        "ScalingConfig" => scaling_config: EksNodegroupScalingConfig,
        "Status" => status: String,
        "Subnets" => subnets: Vec<String>,
        "Taints" => taints: Vec<EksTaint>,
        "UpdateConfig" => update_config: EksNodegroupUpdateConfig,
        "Version" => version: String,
    }
}

crate::object! {
    /// The launch template of a node group (`LaunchTemplateSpecification`).
    pub struct EksLaunchTemplateSpecification {
        "Id" => id: String,
        "Name" => name: String,
        "Version" => version: String,
    }
}

crate::object! {
    /// The SSH access of a node group (`RemoteAccessConfig`).
    pub struct EksRemoteAccessConfig {
        "Ec2SshKey" => ec2_ssh_key: String,
        "SourceSecurityGroups" => source_security_groups: Vec<String>,
    }
}

crate::object! {
    /// The resources of a node group (`NodegroupResources`).
    pub struct EksNodegroupResources {
        "AutoScalingGroups" => auto_scaling_groups: Vec<EksAutoScalingGroup>,
        "RemoteAccessSecurityGroup" => remote_access_security_group: String,
    }
}

crate::object! {
    /// An Auto Scaling group of a node group (`AutoScalingGroup`).
    pub struct EksAutoScalingGroup {
        "Name" => name: String,
    }
}

crate::object! {
    /// The scaling configuration of a node group (`NodegroupScalingConfig`).
    pub struct EksNodegroupScalingConfig {
        "DesiredSize" => desired_size: i64,
        "MaxSize" => max_size: i64,
        "MinSize" => min_size: i64,
    }
}

crate::object! {
    /// A Kubernetes taint of a node group (`Taint`).
    pub struct EksTaint {
        "Effect" => effect: String,
        "Key" => key: String,
        "Value" => value: String,
    }
}

crate::object! {
    /// The update configuration of a node group (`NodegroupUpdateConfig`).
    pub struct EksNodegroupUpdateConfig {
        "MaxUnavailable" => max_unavailable: i64,
        "MaxUnavailablePercentage" => max_unavailable_percentage: i64,
    }
}

crate::object! {
    /// A Fargate profile of a cluster (`FargateProfile` of
    /// `DescribeFargateProfile`) with Panther's common AWS fields.
    pub struct EksFargateProfile {
        "AccountId" => account_id: String,
        "Region" => region: String,
        "Arn" => arn: String,
        "Id" => id: String,
        "Name" => name: String,
        "Tags" => tags: Value,
        "TimeCreated" => time_created: String,
        "ClusterName" => cluster_name: String,
        "CreatedAt" => created_at: String,
        "FargateProfileArn" => fargate_profile_arn: String,
        "FargateProfileName" => fargate_profile_name: String,
        "PodExecutionRoleArn" => pod_execution_role_arn: String,
        "Selectors" => selectors: Vec<EksFargateProfileSelector>,
        "Status" => status: String,
        "Subnets" => subnets: Vec<String>,
    }
}

crate::object! {
    /// Which pods a Fargate profile runs (`FargateProfileSelector`).
    pub struct EksFargateProfileSelector {
        "Labels" => labels: Value,
        "Namespace" => namespace: String,
    }
}
