//! AWS Lambda resources.

use serde_json::Value;

crate::resource! {
    /// A Lambda function (`AWS.Lambda.Function`): `ListFunctions`
    /// (`FunctionConfiguration`) plus `GetPolicy` and `ListTags`, with
    /// Panther's common resource fields.
    pub struct LambdaFunction("AWS.Lambda.Function") {
        "AccountId" => account_id: String,
        "Region" => region: String,
        "Arn" => arn: String,
        "Id" => id: String,
        "Name" => name: String,
        "Tags" => tags: Value,
        "ResourceId" => resource_id: String,
        "ResourceType" => resource_type: String,
        "TimeCreated" => time_created: String,
        "Architectures" => architectures: Vec<String>,
        "CodeSha256" => code_sha256: String,
        "CodeSize" => code_size: i64,
        "DeadLetterConfig" => dead_letter_config: LambdaDeadLetterConfig,
        "Description" => description: String,
        "Environment" => environment: LambdaEnvironment,
        "EphemeralStorage" => ephemeral_storage: LambdaEphemeralStorage,
        "FileSystemConfigs" => file_system_configs: Vec<LambdaFileSystemConfig>,
        "FunctionArn" => function_arn: String,
        "FunctionName" => function_name: String,
        "Handler" => handler: String,
        "ImageConfigResponse" => image_config_response: LambdaImageConfigResponse,
        "KMSKeyArn" => kms_key_arn: String,
        "LastModified" => last_modified: String,
        "LastUpdateStatus" => last_update_status: String,
        "LastUpdateStatusReason" => last_update_status_reason: String,
        "LastUpdateStatusReasonCode" => last_update_status_reason_code: String,
        "Layers" => layers: Vec<LambdaLayer>,
        "LoggingConfig" => logging_config: LambdaLoggingConfig,
        "MasterArn" => master_arn: String,
        "MemorySize" => memory_size: i64,
        "PackageType" => package_type: String,
        "Policy" => policy: LambdaPolicy,
        "RevisionId" => revision_id: String,
        "Role" => role: String,
        "Runtime" => runtime: String,
        "RuntimeVersionConfig" => runtime_version_config: LambdaRuntimeVersionConfig,
        "SigningJobArn" => signing_job_arn: String,
        "SigningProfileVersionArn" => signing_profile_version_arn: String,
        "SnapStart" => snap_start: LambdaSnapStart,
        "State" => state: String,
        "StateReason" => state_reason: String,
        "StateReasonCode" => state_reason_code: String,
        "Timeout" => timeout: i64,
        "TracingConfig" => tracing_config: LambdaTracingConfig,
        "Version" => version: String,
        "VpcConfig" => vpc_config: LambdaVpcConfig,
    }
}

crate::object! {
    /// The dead-letter queue of a function (`DeadLetterConfig`).
    pub struct LambdaDeadLetterConfig {
        "TargetArn" => target_arn: String,
    }
}

crate::object! {
    /// The environment variables of a function (`EnvironmentResponse`).
    pub struct LambdaEnvironment {
        "Error" => error: LambdaError,
        "Variables" => variables: Value,
    }
}

crate::object! {
    /// An error applying a function setting (`EnvironmentError`,
    /// `ImageConfigError`, `RuntimeVersionError`).
    pub struct LambdaError {
        "ErrorCode" => error_code: String,
        "Message" => message: String,
    }
}

crate::object! {
    /// The `/tmp` size of a function (`EphemeralStorage`).
    pub struct LambdaEphemeralStorage {
        "Size" => size: i64,
    }
}

crate::object! {
    /// An EFS file system mounted by a function (`FileSystemConfig`).
    pub struct LambdaFileSystemConfig {
        "Arn" => arn: String,
        "LocalMountPath" => local_mount_path: String,
    }
}

crate::object! {
    /// The container image settings of a function (`ImageConfigResponse`).
    pub struct LambdaImageConfigResponse {
        "Error" => error: LambdaError,
        "ImageConfig" => image_config: LambdaImageConfig,
    }
}

crate::object! {
    /// Container image overrides (`ImageConfig`).
    pub struct LambdaImageConfig {
        "Command" => command: Vec<String>,
        "EntryPoint" => entry_point: Vec<String>,
        "WorkingDirectory" => working_directory: String,
    }
}

crate::object! {
    /// A layer of a function (`Layer`).
    pub struct LambdaLayer {
        "Arn" => arn: String,
        "CodeSize" => code_size: i64,
        "SigningJobArn" => signing_job_arn: String,
        "SigningProfileVersionArn" => signing_profile_version_arn: String,
    }
}

crate::object! {
    /// The logging settings of a function (`LoggingConfig`).
    pub struct LambdaLoggingConfig {
        "ApplicationLogLevel" => application_log_level: String,
        "LogFormat" => log_format: String,
        "LogGroup" => log_group: String,
        "SystemLogLevel" => system_log_level: String,
    }
}

crate::object! {
    /// The resource-based policy of a function (`GetPolicy` output).
    pub struct LambdaPolicy {
        /// The policy document: a JSON string (as polled) or an object.
        "Policy" => policy: Value,
        "RevisionId" => revision_id: String,
    }
}

crate::object! {
    /// The runtime version of a function (`RuntimeVersionConfig`).
    pub struct LambdaRuntimeVersionConfig {
        "Error" => error: LambdaError,
        "RuntimeVersionArn" => runtime_version_arn: String,
    }
}

crate::object! {
    /// The SnapStart setting of a function (`SnapStartResponse`).
    pub struct LambdaSnapStart {
        "ApplyOn" => apply_on: String,
        "OptimizationStatus" => optimization_status: String,
    }
}

crate::object! {
    /// The X-Ray tracing mode of a function (`TracingConfigResponse`).
    pub struct LambdaTracingConfig {
        "Mode" => mode: String,
    }
}

crate::object! {
    /// The VPC settings of a function (`VpcConfigResponse`).
    pub struct LambdaVpcConfig {
        "Ipv6AllowedForDualStack" => ipv6_allowed_for_dual_stack: bool,
        "SecurityGroupIds" => security_group_ids: Vec<String>,
        "SubnetIds" => subnet_ids: Vec<String>,
        "VpcId" => vpc_id: String,
    }
}
