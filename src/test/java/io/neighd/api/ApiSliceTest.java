package io.neighd.api;

import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A controller slice on a real engine ({@link EngineSlice}): every controller, the problem
 * mapping and the security, no actuator or metrics. All slice tests share one context (and one
 * engine), so each test resets or avoids what another could have left.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@WebMvcTest
@Import(EngineSlice.class)
@interface ApiSliceTest {
}
