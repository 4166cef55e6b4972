package io.codingengine.executor;

import io.codingengine.common.execution.ExecutionResult;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class LanguagesTest {

    @Test
    void pythonHelloWorld() {
        ExecutionResult r = Fixture.run("python", "print('hello')");
        System.out.println(r);
        assertEquals("hello\n", r.runs().getFirst().stdout());
        assertNull(r.runs().getFirst().status());
    }

    @Test
    void cppHelloWorld() {
        ExecutionResult r = Fixture.run("c++", "#include <cstdio>\nint main(){puts(\"hello\");}");
        System.out.println(r);
        assertEquals("hello\n", r.runs().getFirst().stdout());
    }

    @Test
    void javaHelloWorld() {
        ExecutionResult r = Fixture.run("java", "public class Hello { public static void main(String[] a){ System.out.println(\"hello\"); } }");
        System.out.println(r);
        assertEquals("hello\n", r.runs().getFirst().stdout());
    }

    @Test
    void nodeHelloWorld() {
        ExecutionResult r = Fixture.run("js", "console.log('hello')");
        System.out.println(r);
        assertEquals("hello\n", r.runs().getFirst().stdout());
    }
}
