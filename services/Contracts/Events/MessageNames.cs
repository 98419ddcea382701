using System.Collections.Frozen;
using System.Reflection;

namespace ParPlatform.Contracts.Events;

/// <summary>
/// The stable name of an integration event, which the outbox stores instead of the CLR type, so a row written before a
/// rename, a move or a new assembly version is still published. (MassTransit still names the exchange and the message
/// URN after the CLR type: a rename still needs its consumers redeployed with it.) Form:
/// <c>par.&lt;publishing service&gt;.&lt;event in kebab case&gt;.v&lt;n&gt;</c>; a new <c>v</c> is a new, incompatible
/// event (publish both while consumers move over).
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class MessageNameAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}

/// <summary>Stable names to types and back, for the integration events of one or more assemblies.</summary>
public sealed class MessageNames
{
    /// <summary>Every integration event of the platform (this assembly).</summary>
    public static MessageNames Contracts { get; } = new([typeof(MessageNames).Assembly]);

    private readonly FrozenDictionary<string, Type> _typesByName;
    private readonly FrozenDictionary<Type, string> _namesByType;
    private readonly FrozenDictionary<string, Type> _typesByClrName;

    public MessageNames(IEnumerable<Assembly> assemblies)
        : this(assemblies.SelectMany(assembly => assembly.GetTypes()).Where(type => type.GetCustomAttribute<MessageNameAttribute>() is not null))
    {
    }

    public MessageNames(IEnumerable<Type> types)
    {
        var named = types.Distinct().Select(type => (Type: type, Name: NameOf(type))).ToList();
        var duplicate = named.GroupBy(entry => entry.Name).FirstOrDefault(group => group.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException(
                $"Message name '{duplicate.Key}' is used by {string.Join(" and ", duplicate.Select(entry => entry.Type.FullName))}.");
        }
        _typesByName = named.ToFrozenDictionary(entry => entry.Name, entry => entry.Type, StringComparer.Ordinal);
        _namesByType = named.ToFrozenDictionary(entry => entry.Type, entry => entry.Name);
        _typesByClrName = named.ToFrozenDictionary(entry => entry.Type.FullName!, entry => entry.Type, StringComparer.Ordinal);
    }

    /// <summary>The stable name declared on <paramref name="type"/>; a type without one is not an integration event.</summary>
    public static string NameOf(Type type) =>
        type.GetCustomAttribute<MessageNameAttribute>()?.Name
        ?? throw new InvalidOperationException(
            $"{type.FullName} has no [MessageName]: integration events live in services/Contracts/Events with a stable name.");

    public bool TryGetName(Type type, out string name) => _namesByType.TryGetValue(type, out name!);

    /// <summary>
    /// The type for a stored name. Also accepts the assembly-qualified CLR name the outbox stored before it had stable
    /// names, which a replica of the previous version may still write during a rolling deployment.
    /// </summary>
    public bool TryGetType(string name, out Type type)
    {
        if (_typesByName.TryGetValue(name, out type!))
        {
            return true;
        }
        var comma = name.IndexOf(',');
        return comma > 0 && _typesByClrName.TryGetValue(name[..comma].Trim(), out type!);
    }

    public IReadOnlyCollection<string> Names => _typesByName.Keys;
}
