package software.amazon.awssdk.regions;

import software.amazon.awssdk.regions.servicemetadata.DynamodbServiceMetadata;
import software.amazon.awssdk.regions.servicemetadata.SecretsmanagerServiceMetadata;
import software.amazon.awssdk.regions.servicemetadata.SqsServiceMetadata;

/**
 * Stands in for the AWS SDK's class of this name in the function jars, which the shade plugin leaves out with the
 * metadata of every service this service does not call (see the root pom). The SDK's version builds metadata
 * objects for all 300-odd AWS services in its static initializer the first time any client is built: about 320
 * classes loaded and 0.7 MB of every jar, for the three services used here. The SDK falls back to its default
 * metadata for any other service, as it does for services it has no generated metadata for.
 */
public final class GeneratedServiceMetadataProvider implements ServiceMetadataProvider {
    @Override
    public ServiceMetadata serviceMetadata(String endpointPrefix) {
        return switch (endpointPrefix) {
            case "dynamodb" -> Metadata.DYNAMODB;
            case "sqs" -> Metadata.SQS;
            case "secretsmanager" -> Metadata.SECRETS_MANAGER;
            default -> null;
        };
    }

    /** Each built once, as the SDK's provider holds them. */
    private static final class Metadata {
        static final ServiceMetadata DYNAMODB = new DynamodbServiceMetadata();
        static final ServiceMetadata SQS = new SqsServiceMetadata();
        static final ServiceMetadata SECRETS_MANAGER = new SecretsmanagerServiceMetadata();
    }
}
