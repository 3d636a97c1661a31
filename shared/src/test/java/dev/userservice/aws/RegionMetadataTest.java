package dev.userservice.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.GeneratedRegionMetadataProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.RegionMetadata;
import software.amazon.awssdk.regions.regionmetadata.UsEast1;

class RegionMetadataTest {
    private static final String METADATA_PACKAGE = "software/amazon/awssdk/regions/regionmetadata/";

    private final GeneratedRegionMetadataProvider provider = new GeneratedRegionMetadataProvider();

    /** The SDK's own list: every metadata class its jar ships, which its provider would have built. */
    @Test
    void answersEveryRegionTheSdkShipsMetadataForWithTheSdksOwnClass() throws Exception {
        List<String> shipped = shippedMetadataClasses();
        assertTrue(shipped.size() > 30, "the SDK's region metadata classes were not found: " + shipped);
        for (String name : shipped) {
            RegionMetadata sdks = (RegionMetadata) Class.forName(name).getConstructor().newInstance();
            RegionMetadata ours = provider.regionMetadata(Region.of(sdks.id()));
            assertNotNull(ours, () -> sdks.id() + ", a region the SDK ships, is missing from the provider");
            assertEquals(sdks.getClass(), ours.getClass(), sdks.id());
        }
    }

    @Test
    void theSdksEntryPointAnswersAsBefore() {
        assertEquals("amazonaws.com", RegionMetadata.of(Region.EU_WEST_1).domain());
        assertEquals("amazonaws.com.cn", RegionMetadata.of(Region.CN_NORTH_1).domain());
    }

    @Test
    void aRegionWithoutMetadataGetsNoneAsFromTheSdk() {
        assertNull(provider.regionMetadata(Region.of("xx-nowhere-1")));
    }

    private static List<String> shippedMetadataClasses() throws Exception {
        File jar = new File(UsEast1.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        try (ZipFile zip = new ZipFile(jar)) {
            return zip.stream().map(ZipEntry::getName)
                    .filter(name -> name.startsWith(METADATA_PACKAGE) && name.endsWith(".class") && !name.contains("$"))
                    .map(name -> name.substring(0, name.length() - ".class".length()).replace('/', '.'))
                    .toList();
        }
    }
}
