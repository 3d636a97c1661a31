package software.amazon.awssdk.regions;

import software.amazon.awssdk.regions.regionmetadata.AfSouth1;
import software.amazon.awssdk.regions.regionmetadata.ApEast1;
import software.amazon.awssdk.regions.regionmetadata.ApEast2;
import software.amazon.awssdk.regions.regionmetadata.ApNortheast1;
import software.amazon.awssdk.regions.regionmetadata.ApNortheast2;
import software.amazon.awssdk.regions.regionmetadata.ApNortheast3;
import software.amazon.awssdk.regions.regionmetadata.ApSouth1;
import software.amazon.awssdk.regions.regionmetadata.ApSouth2;
import software.amazon.awssdk.regions.regionmetadata.ApSoutheast1;
import software.amazon.awssdk.regions.regionmetadata.ApSoutheast2;
import software.amazon.awssdk.regions.regionmetadata.ApSoutheast3;
import software.amazon.awssdk.regions.regionmetadata.ApSoutheast4;
import software.amazon.awssdk.regions.regionmetadata.ApSoutheast5;
import software.amazon.awssdk.regions.regionmetadata.ApSoutheast6;
import software.amazon.awssdk.regions.regionmetadata.ApSoutheast7;
import software.amazon.awssdk.regions.regionmetadata.AwsCnGlobal;
import software.amazon.awssdk.regions.regionmetadata.AwsGlobal;
import software.amazon.awssdk.regions.regionmetadata.AwsIsoBGlobal;
import software.amazon.awssdk.regions.regionmetadata.AwsIsoEGlobal;
import software.amazon.awssdk.regions.regionmetadata.AwsIsoFGlobal;
import software.amazon.awssdk.regions.regionmetadata.AwsIsoGlobal;
import software.amazon.awssdk.regions.regionmetadata.AwsUsGovGlobal;
import software.amazon.awssdk.regions.regionmetadata.CaCentral1;
import software.amazon.awssdk.regions.regionmetadata.CaWest1;
import software.amazon.awssdk.regions.regionmetadata.CnNorth1;
import software.amazon.awssdk.regions.regionmetadata.CnNorthwest1;
import software.amazon.awssdk.regions.regionmetadata.EuCentral1;
import software.amazon.awssdk.regions.regionmetadata.EuCentral2;
import software.amazon.awssdk.regions.regionmetadata.EuIsoeWest1;
import software.amazon.awssdk.regions.regionmetadata.EuNorth1;
import software.amazon.awssdk.regions.regionmetadata.EuSouth1;
import software.amazon.awssdk.regions.regionmetadata.EuSouth2;
import software.amazon.awssdk.regions.regionmetadata.EuWest1;
import software.amazon.awssdk.regions.regionmetadata.EuWest2;
import software.amazon.awssdk.regions.regionmetadata.EuWest3;
import software.amazon.awssdk.regions.regionmetadata.EuscDeEast1;
import software.amazon.awssdk.regions.regionmetadata.IlCentral1;
import software.amazon.awssdk.regions.regionmetadata.MeCentral1;
import software.amazon.awssdk.regions.regionmetadata.MeSouth1;
import software.amazon.awssdk.regions.regionmetadata.MxCentral1;
import software.amazon.awssdk.regions.regionmetadata.SaEast1;
import software.amazon.awssdk.regions.regionmetadata.UsEast1;
import software.amazon.awssdk.regions.regionmetadata.UsEast2;
import software.amazon.awssdk.regions.regionmetadata.UsGovEast1;
import software.amazon.awssdk.regions.regionmetadata.UsGovWest1;
import software.amazon.awssdk.regions.regionmetadata.UsIsoEast1;
import software.amazon.awssdk.regions.regionmetadata.UsIsoWest1;
import software.amazon.awssdk.regions.regionmetadata.UsIsobEast1;
import software.amazon.awssdk.regions.regionmetadata.UsIsobWest1;
import software.amazon.awssdk.regions.regionmetadata.UsIsofEast1;
import software.amazon.awssdk.regions.regionmetadata.UsIsofSouth1;
import software.amazon.awssdk.regions.regionmetadata.UsWest1;
import software.amazon.awssdk.regions.regionmetadata.UsWest2;

/**
 * Stands in for the AWS SDK's class of this name in the function jars (the shade plugin leaves the SDK's out; see
 * the root pom). The SDK's version builds a metadata object for each of its regions (53 in SDK 2.40) in its static
 * initializer, which runs when the first client is built whether or not anything asks for a region's metadata, and
 * nothing in this service does: 53 classes loaded at every cold start. This one builds a region's metadata when it is
 * asked for, with the SDK's own class for that region. {@code RegionMetadataTest} holds it to the regions the SDK
 * ships.
 */
public final class GeneratedRegionMetadataProvider implements RegionMetadataProvider {
    @Override
    public RegionMetadata regionMetadata(Region region) {
        return switch (region.id()) {
            case "af-south-1" -> new AfSouth1();
            case "ap-east-1" -> new ApEast1();
            case "ap-east-2" -> new ApEast2();
            case "ap-northeast-1" -> new ApNortheast1();
            case "ap-northeast-2" -> new ApNortheast2();
            case "ap-northeast-3" -> new ApNortheast3();
            case "ap-south-1" -> new ApSouth1();
            case "ap-south-2" -> new ApSouth2();
            case "ap-southeast-1" -> new ApSoutheast1();
            case "ap-southeast-2" -> new ApSoutheast2();
            case "ap-southeast-3" -> new ApSoutheast3();
            case "ap-southeast-4" -> new ApSoutheast4();
            case "ap-southeast-5" -> new ApSoutheast5();
            case "ap-southeast-6" -> new ApSoutheast6();
            case "ap-southeast-7" -> new ApSoutheast7();
            case "aws-cn-global" -> new AwsCnGlobal();
            case "aws-global" -> new AwsGlobal();
            case "aws-iso-b-global" -> new AwsIsoBGlobal();
            case "aws-iso-e-global" -> new AwsIsoEGlobal();
            case "aws-iso-f-global" -> new AwsIsoFGlobal();
            case "aws-iso-global" -> new AwsIsoGlobal();
            case "aws-us-gov-global" -> new AwsUsGovGlobal();
            case "ca-central-1" -> new CaCentral1();
            case "ca-west-1" -> new CaWest1();
            case "cn-north-1" -> new CnNorth1();
            case "cn-northwest-1" -> new CnNorthwest1();
            case "eu-central-1" -> new EuCentral1();
            case "eu-central-2" -> new EuCentral2();
            case "eu-isoe-west-1" -> new EuIsoeWest1();
            case "eu-north-1" -> new EuNorth1();
            case "eu-south-1" -> new EuSouth1();
            case "eu-south-2" -> new EuSouth2();
            case "eu-west-1" -> new EuWest1();
            case "eu-west-2" -> new EuWest2();
            case "eu-west-3" -> new EuWest3();
            case "eusc-de-east-1" -> new EuscDeEast1();
            case "il-central-1" -> new IlCentral1();
            case "me-central-1" -> new MeCentral1();
            case "me-south-1" -> new MeSouth1();
            case "mx-central-1" -> new MxCentral1();
            case "sa-east-1" -> new SaEast1();
            case "us-east-1" -> new UsEast1();
            case "us-east-2" -> new UsEast2();
            case "us-gov-east-1" -> new UsGovEast1();
            case "us-gov-west-1" -> new UsGovWest1();
            case "us-iso-east-1" -> new UsIsoEast1();
            case "us-iso-west-1" -> new UsIsoWest1();
            case "us-isob-east-1" -> new UsIsobEast1();
            case "us-isob-west-1" -> new UsIsobWest1();
            case "us-isof-east-1" -> new UsIsofEast1();
            case "us-isof-south-1" -> new UsIsofSouth1();
            case "us-west-1" -> new UsWest1();
            case "us-west-2" -> new UsWest2();
            default -> null;
        };
    }
}
