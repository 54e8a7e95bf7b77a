package io.neighd.api;

import org.springframework.boot.actuate.autoconfigure.web.server.ConditionalOnManagementPort;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;

/**
 * {@link ProblemPages} in the child context of a separate {@code management.server.port}, so that
 * the probes' and metrics' port answers errors in the same format. Imported through
 * META-INF/spring/…ManagementContextConfiguration.imports. Not a {@code @Configuration}: component
 * scanning would then register it in the API's context as well; and only with a port of its own
 * (on the API's port, the management context is the API's, which has {@link ProblemPages}).
 */
@ConditionalOnManagementPort(ManagementPortType.DIFFERENT)
class ManagementProblemPages {
    @Bean
    FilterRegistrationBean<ProblemErrorFilter> managementProblemErrorFilter() {
        return ProblemErrorFilter.registration("managementProblemErrorFilter");
    }

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> managementProblemReportValve() {
        return ProblemReportValve.customizer();
    }
}
