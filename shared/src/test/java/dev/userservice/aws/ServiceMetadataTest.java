package dev.userservice.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.DefaultServiceMetadata;
import software.amazon.awssdk.regions.GeneratedServiceMetadataProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.ServiceMetadata;
import software.amazon.awssdk.regions.servicemetadata.DynamodbServiceMetadata;
import software.amazon.awssdk.regions.servicemetadata.SecretsmanagerServiceMetadata;
import software.amazon.awssdk.regions.servicemetadata.SqsServiceMetadata;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sqs.SqsClient;

class ServiceMetadataTest {
    private final GeneratedServiceMetadataProvider provider = new GeneratedServiceMetadataProvider();

    @Test
    void theServicesThisServiceCallsKeepTheSdksGeneratedMetadata() {
        assertInstanceOf(DynamodbServiceMetadata.class, provider.serviceMetadata(DynamoDbClient.SERVICE_METADATA_ID));
        assertInstanceOf(SqsServiceMetadata.class, provider.serviceMetadata(SqsClient.SERVICE_METADATA_ID));
        assertInstanceOf(SecretsmanagerServiceMetadata.class, provider.serviceMetadata(SecretsManagerClient.SERVICE_METADATA_ID));
    }

    @Test
    void clientsSignForTheirOwnRegion() {
        assertEquals(Region.EU_WEST_1, ServiceMetadata.of(DynamoDbClient.SERVICE_METADATA_ID).signingRegion(Region.EU_WEST_1));
        assertEquals(Region.US_GOV_WEST_1, ServiceMetadata.of(SqsClient.SERVICE_METADATA_ID).signingRegion(Region.US_GOV_WEST_1));
    }

    @Test
    void anyOtherServiceGetsTheSdksDefaultMetadata() {
        assertNull(provider.serviceMetadata("s3"));
        assertInstanceOf(DefaultServiceMetadata.class, ServiceMetadata.of("s3"));
    }
}
