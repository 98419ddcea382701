namespace ParPlatform.Survey;

/// <summary>
/// What this process runs, from <c>Survey:Mode</c>: <c>Api</c> (REST and gRPC intake and reads), <c>Worker</c> (the
/// queue consumer that stores responses) or <c>Both</c> (the default). Ops scale intake by starting more workers
/// on the one queue.
/// </summary>
public enum SurveyMode
{
    Both,
    Api,
    Worker,
}

public static class SurveyModeExtensions
{
    public static bool RunsApi(this SurveyMode mode) => mode is SurveyMode.Both or SurveyMode.Api;

    public static bool RunsWorker(this SurveyMode mode) => mode is SurveyMode.Both or SurveyMode.Worker;
}

/// <summary>The configured mode, as a service other classes can ask for.</summary>
public sealed record SurveyOptions(SurveyMode Mode);
