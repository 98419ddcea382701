namespace ParPlatform.Testing;

/// <summary>Polls an asynchronous condition until it holds: for effects that travel over the broker.</summary>
public static class Eventually
{
    public static async Task<T> GetAsync<T>(Func<Task<T?>> probe, TimeSpan? timeout = null, string? what = null) where T : class
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        Exception? last = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if (await probe() is { } value)
                {
                    return value;
                }
            }
            catch (Exception exception)
            {
                last = exception;
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"Timed out waiting for {what ?? "condition"}.", last);
    }

    public static async Task TrueAsync(Func<Task<bool>> probe, TimeSpan? timeout = null, string? what = null) =>
        await GetAsync<object>(async () => await probe() ? new object() : null, timeout, what);
}
