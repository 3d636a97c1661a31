package dev.userservice.aws;

import dev.userservice.config.ServiceConfig;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClientBuilder;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.SqsClientBuilder;

/**
 * AWS clients, configured explicitly (region, credentials, HTTP client, timeouts) so that nothing is discovered
 * at start-up. Callers build each one once per container.
 */
public final class AwsClients {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(3);
    /** The longest one call may take, its retries included; {@link CallDeadline} shortens it near an invocation's end. */
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(8);

    private AwsClients() {}

    public static DynamoDbClient dynamoDb(ServiceConfig config) {
        DynamoDbClientBuilder builder = DynamoDbClient.builder();
        configure(builder, config);
        config.dynamoDbEndpoint().ifPresent(builder::endpointOverride);
        return builder.httpClient(httpClient()).build();
    }

    public static SqsClient sqs(ServiceConfig config) {
        SqsClientBuilder builder = SqsClient.builder();
        configure(builder, config);
        config.sqsEndpoint().ifPresent(builder::endpointOverride);
        return builder.httpClient(httpClient()).build();
    }

    public static SecretsManagerClient secretsManager(ServiceConfig config) {
        SecretsManagerClientBuilder builder = SecretsManagerClient.builder();
        configure(builder, config);
        config.secretsManagerEndpoint().ifPresent(builder::endpointOverride);
        return builder.httpClient(httpClient()).build();
    }

    private static void configure(AwsClientBuilder<?, ?> builder, ServiceConfig config) {
        builder.region(Region.of(config.region()))
                .credentialsProvider(credentials(config))
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .addExecutionInterceptor(new DryRun())
                        .addExecutionInterceptor(new CallDeadline())
                        .apiCallAttemptTimeout(ATTEMPT_TIMEOUT)
                        .apiCallTimeout(CALL_TIMEOUT)
                        .build());
    }

    private static SdkHttpClient httpClient() {
        return UrlConnectionHttpClient.builder()
                .connectionTimeout(CONNECT_TIMEOUT)
                .socketTimeout(SOCKET_TIMEOUT)
                .build();
    }

    /**
     * SnapStart functions get their credentials from the container endpoint (the environment's keys would be
     * stale after a restore); other Lambda functions and the local runner from the environment map.
     */
    static AwsCredentialsProvider credentials(ServiceConfig config) {
        if (config.variable("AWS_CONTAINER_CREDENTIALS_FULL_URI").isPresent()) {
            return ContainerCredentialsProvider.create();
        }
        var accessKey = config.variable("AWS_ACCESS_KEY_ID");
        var secretKey = config.variable("AWS_SECRET_ACCESS_KEY");
        if (accessKey.isPresent() && secretKey.isPresent()) {
            var sessionToken = config.variable("AWS_SESSION_TOKEN");
            AwsCredentials credentials = sessionToken.isPresent()
                    ? AwsSessionCredentials.create(accessKey.get(), secretKey.get(), sessionToken.get())
                    : AwsBasicCredentials.create(accessKey.get(), secretKey.get());
            return StaticCredentialsProvider.create(credentials);
        }
        return DefaultCredentialsProvider.builder().build();
    }
}
