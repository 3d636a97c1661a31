package dev.userservice.testing;

import com.amazonaws.services.lambda.runtime.Context;
import java.lang.reflect.Proxy;

/** Lambda contexts for driving a function's kernel in a test. */
public final class LambdaContexts {
    private LambdaContexts() {}

    /** A context with this much time left whenever it is asked; every other method answers nothing. */
    public static Context withRemaining(long millis) {
        return (Context) Proxy.newProxyInstance(Context.class.getClassLoader(), new Class<?>[] {Context.class}, (proxy, method, arguments) -> {
            if (method.getName().equals("getRemainingTimeInMillis")) {
                return (int) millis;
            }
            return method.getReturnType() == int.class ? (Object) 0 : null;
        });
    }
}
