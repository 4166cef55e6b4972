import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/**
 * Added by the judge to a Java output validator (see CustomChecker): collects the Kattis feedback
 * directory. It creates the feedback directory (the third argument) and runs the validator's
 * main method in this JVM; when the JVM exits (System.exit, or main returned) a shutdown hook
 * writes one marker line to standard output with the feedback files in base64.
 */
public final class CeFeedbackShim {

    private static final String MARK = "@MARK@";
    private static final String VALIDATOR = "@MAIN@";
    private static final int LIMIT = @LIMIT@;

    public static void main(String[] args) throws Throwable {
        if (args.length > 2) {
            Path feedback = Path.of(args[2]);
            Files.createDirectories(feedback);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> dump(feedback)));
        }
        Class<?> validator = Class.forName(VALIDATOR);
        Method main;
        boolean withArgs = true;
        try {
            main = validator.getDeclaredMethod("main", String[].class);
        } catch (NoSuchMethodException e) {
            main = validator.getDeclaredMethod("main");
            withArgs = false;
        }
        main.setAccessible(true);
        Object target = null;
        if (!Modifier.isStatic(main.getModifiers())) {
            var constructor = validator.getDeclaredConstructor();
            constructor.setAccessible(true);
            target = constructor.newInstance();
        }
        try {
            if (withArgs) {
                main.invoke(target, (Object) args);
            } else {
                main.invoke(target);
            }
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static void dump(Path feedback) {
        System.out.flush();
        System.err.flush();
        StringBuilder line = new StringBuilder("\n").append(MARK);
        for (String name : new String[] {"judgemessage.txt", "teammessage.txt", "score.txt", "score_multiplier.txt"}) {
            try (InputStream in = Files.newInputStream(feedback.resolve(name))) {
                line.append(' ').append(name).append('=').append(Base64.getEncoder().encodeToString(in.readNBytes(LIMIT)));
            } catch (IOException absent) {
                // no such file: nothing to collect
            }
        }
        line.append('\n');
        try {
            FileOutputStream out = new FileOutputStream(FileDescriptor.out);
            out.write(line.toString().getBytes(StandardCharsets.US_ASCII));
            out.flush();
        } catch (IOException e) {
            // standard output is gone: the judge finds no marker and reports so
        }
    }
}
