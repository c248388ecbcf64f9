//! The resource structs, one module per AWS service.
//!
//! Field lists follow Panther's resource documentation and the AWS API
//! shapes behind it, plus the fields (and spellings, such as `Arn` next to
//! `ARN`) that published policies and their test resources use. Every field
//! is a `Field<T>`: it may be absent, `null`, a value of its type, or (kept
//! as JSON) a value of another type. Keys a struct does not name are kept in
//! its `extra` map.
//!
//! `serde_json::Value` fields are the genuinely open ones: tag maps, policy
//! documents (JSON strings or objects), maps keyed by data, and fields whose
//! JSON type varies between sources.

pub mod account;
pub mod acm;
pub mod cloudformation;
pub mod cloudtrail;
pub mod cloudwatch;
pub mod config;
pub mod dynamodb;
pub mod ec2;
pub mod ecs;
pub mod eks;
pub mod elbv2;
pub mod guardduty;
pub mod iam;
pub mod kms;
pub mod lambda;
pub mod rds;
pub mod redshift;
pub mod route53;
pub mod s3;
pub mod waf;

pub use account::*;
pub use acm::*;
pub use cloudformation::*;
pub use cloudtrail::*;
pub use cloudwatch::*;
pub use config::*;
pub use dynamodb::*;
pub use ec2::*;
pub use ecs::*;
pub use eks::*;
pub use elbv2::*;
pub use guardduty::*;
pub use iam::*;
pub use kms::*;
pub use lambda::*;
pub use rds::*;
pub use redshift::*;
pub use route53::*;
pub use s3::*;
pub use waf::*;

use crate::schema::StructSchema;

/// Every resource type the runtime knows, with its schema, sorted by type
/// name.
pub const RESOURCE_TYPES: &[(&str, &StructSchema)] = &[
    ("AWS.ACM.Certificate", &AcmCertificate::SCHEMA),
    ("AWS.CloudFormation.Stack", &CloudFormationStack::SCHEMA),
    ("AWS.CloudTrail", &CloudTrail::SCHEMA),
    ("AWS.CloudTrail.Meta", &CloudTrailMeta::SCHEMA),
    ("AWS.CloudWatch.LogGroup", &CloudWatchLogGroup::SCHEMA),
    ("AWS.Config.Recorder", &ConfigRecorder::SCHEMA),
    ("AWS.Config.Recorder.Meta", &ConfigRecorderMeta::SCHEMA),
    ("AWS.DynamoDB.Table", &DynamoDbTable::SCHEMA),
    ("AWS.EC2.AMI", &Ami::SCHEMA),
    ("AWS.EC2.Instance", &Ec2Instance::SCHEMA),
    ("AWS.EC2.NetworkACL", &NetworkAcl::SCHEMA),
    ("AWS.EC2.SecurityGroup", &SecurityGroup::SCHEMA),
    ("AWS.EC2.VPC", &Vpc::SCHEMA),
    ("AWS.EC2.Volume", &Ec2Volume::SCHEMA),
    ("AWS.ECS.Cluster", &EcsCluster::SCHEMA),
    ("AWS.EKS.Cluster", &EksCluster::SCHEMA),
    ("AWS.ELBV2.ApplicationLoadBalancer", &ApplicationLoadBalancer::SCHEMA),
    ("AWS.GuardDuty.Detector", &GuardDutyDetector::SCHEMA),
    ("AWS.GuardDuty.Detector.Meta", &GuardDutyDetectorMeta::SCHEMA),
    ("AWS.IAM.Group", &IamGroup::SCHEMA),
    ("AWS.IAM.Policy", &IamPolicy::SCHEMA),
    ("AWS.IAM.Role", &IamRole::SCHEMA),
    ("AWS.IAM.RootUser", &IamRootUser::SCHEMA),
    ("AWS.IAM.User", &IamUser::SCHEMA),
    ("AWS.KMS.Key", &KmsKey::SCHEMA),
    ("AWS.Lambda.Function", &LambdaFunction::SCHEMA),
    ("AWS.PasswordPolicy", &PasswordPolicy::SCHEMA),
    ("AWS.RDS.Instance", &RdsInstance::SCHEMA),
    ("AWS.Redshift.Cluster", &RedshiftCluster::SCHEMA),
    ("AWS.Route53.HostedZone", &Route53HostedZone::SCHEMA),
    ("AWS.Route53Domains", &Route53Domain::SCHEMA),
    ("AWS.S3.Bucket", &S3Bucket::SCHEMA),
    ("AWS.WAF.Regional.WebACL", &WafRegionalWebAcl::SCHEMA),
    ("AWS.WAF.WebACL", &WafWebAcl::SCHEMA),
];

/// The schema of the resource type `name` (`AWS.EC2.AMI`).
pub fn schema_for(name: &str) -> Option<&'static StructSchema> {
    RESOURCE_TYPES.iter().find(|(n, _)| *n == name).map(|(_, s)| *s)
}

#[cfg(test)]
mod tests;
