package dev.basalt.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.common.Json;
import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Keystone's {@code GET /v3/auth/catalog} answer, read and searched as Basalt finds the compute service. */
class ServiceCatalogTest {
    private static final String CATALOG = """
            {"catalog": [
              {"type": "identity", "name": "keystone", "id": "k",
               "endpoints": [{"interface": "public", "region_id": "RegionOne", "region": "RegionOne",
                              "url": "http://keystone:5000/v3", "id": "e1"}]},
              {"type": "compute", "name": "nova", "id": "n",
               "endpoints": [{"interface": "internal", "region_id": "RegionOne", "url": "http://nova-int:8774/v2.1"},
                             {"interface": "public", "region_id": "RegionTwo", "url": "http://nova-two:8774/v2.1"},
                             {"interface": "public", "region_id": "RegionOne", "url": "http://nova:8774/v2.1"},
                             {"interface": "admin", "region_id": "RegionOne", "url": "not a url"}]}
            ]}""";

    private static ServiceCatalog catalog() throws Exception {
        return ServiceCatalog.parse(Json.mapper().readTree(CATALOG).path("catalog"));
    }

    @Test
    void findsTheEndpointOfATypeOnAnInterfaceAndInARegion() throws Exception {
        ServiceCatalog catalog = catalog();
        assertThat(catalog.find("compute", "public", Optional.of("RegionOne")))
                .contains(URI.create("http://nova:8774/v2.1"));
        assertThat(catalog.find("compute", "public", Optional.empty()))
                .contains(URI.create("http://nova-two:8774/v2.1"));
        assertThat(catalog.find("compute", "internal", Optional.empty()))
                .contains(URI.create("http://nova-int:8774/v2.1"));
    }

    @Test
    void noMatchingOrUsableEndpointIsNone() throws Exception {
        ServiceCatalog catalog = catalog();
        assertThat(catalog.find("compute", "admin", Optional.empty())).as("not a URL").isEmpty();
        assertThat(catalog.find("compute", "public", Optional.of("RegionThree"))).isEmpty();
        assertThat(catalog.find("image", "public", Optional.empty())).isEmpty();
        assertThat(ServiceCatalog.parse(Json.mapper().createArrayNode()).endpoints()).isEmpty();
    }
}
