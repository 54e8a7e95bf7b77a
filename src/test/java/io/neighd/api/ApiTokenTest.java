package io.neighd.api;

import io.neighd.config.NeighdProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.security.oauth2.server.resource.introspection.BadOpaqueTokenException;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The token writes need: configured, or generated and logged once, as Spring Security does with its password. */
@ExtendWith(OutputCaptureExtension.class)
class ApiTokenTest {
    @Test
    void aConfiguredTokenIsUsedAsGivenAndNotLogged(CapturedOutput output) {
        ApiSecurity.ApiToken token = ApiSecurity.ApiToken.from(props(" s3cret-0123456789ab\n"));
        assertThat(token.introspect("s3cret-0123456789ab").getName()).isEqualTo("neighd-api");
        assertThatThrownBy(() -> token.introspect("s3cret-0123456789ab ")).isInstanceOf(BadOpaqueTokenException.class);
        assertThat(output).doesNotContain("s3cret-0123456789ab");
    }

    @Test
    void withoutOneATokenIsGeneratedAndLoggedOnce(CapturedOutput output) {
        ApiSecurity.ApiToken token = ApiSecurity.ApiToken.from(props(null));
        Matcher m = Pattern.compile("Using generated API token: (\\S+)").matcher(output.getAll());
        assertThat(m.find()).isTrue();
        String generated = m.group(1);
        assertThat(generated).hasSizeGreaterThanOrEqualTo(32);
        assertThat(token.introspect(generated).getName()).isEqualTo("neighd-api");
        assertThat(m.find()).as("logged once").isFalse();
        assertThatThrownBy(() -> ApiSecurity.ApiToken.from(props("")).introspect(generated))
                .as("another start, another token").isInstanceOf(BadOpaqueTokenException.class);
    }

    private static NeighdProperties props(String token) {
        return new NeighdProperties(List.of(), List.of(), null, Map.of(), null, new NeighdProperties.Api(token), 250,
                new NeighdProperties.Events(16));
    }
}
