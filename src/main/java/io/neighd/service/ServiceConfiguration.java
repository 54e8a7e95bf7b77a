package io.neighd.service;

import io.neighd.config.NeighdProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The service's beans: the state file and the running engine with its links. */
@Configuration(proxyBeanMethods = false)
public class ServiceConfiguration {
    @Bean
    StateStore stateStore(NeighdProperties props) {
        return new StateStore(props.stateFile());
    }

    @Bean
    EngineRuntime engineRuntime(NeighdProperties props, StateStore state) {
        return new EngineRuntime(props, state);
    }
}
