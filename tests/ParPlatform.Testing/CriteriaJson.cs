using System.Text.Json;

namespace ParPlatform.Testing;

/// <summary>Reading a criteria set's tree as the criteria API sends it (or as a test builds it): nodes with <c>children</c>.</summary>
public static class CriteriaJson
{
    /// <summary>The scored leaves under these nodes, depth first, in the tree's order.</summary>
    public static IEnumerable<JsonElement> Leaves(JsonElement nodes)
    {
        foreach (var node in nodes.EnumerateArray())
        {
            if (node.TryGetProperty("children", out var children) && children.ValueKind == JsonValueKind.Array && children.GetArrayLength() > 0)
            {
                foreach (var leaf in Leaves(children))
                {
                    yield return leaf;
                }
            }
            else
            {
                yield return node;
            }
        }
    }
}
