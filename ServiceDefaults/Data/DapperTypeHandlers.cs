using System.Data;
using Dapper;
using Microsoft.Extensions.Hosting;
using ParPlatform.ServiceDefaults.Messaging;

namespace ParPlatform.ServiceDefaults.Data;

/// <summary>
/// Npgsql reads timestamptz as a UTC DateTime and arrays as System.Array; the services' records use DateTimeOffset and
/// Guid[]. These handlers let Dapper map one to the other (including record constructors). Registered once per process
/// with the data source.
/// </summary>
internal static class DapperTypeHandlers
{
    public static void Register()
    {
        SqlMapper.AddTypeHandler(new DateTimeOffsetHandler());
        SqlMapper.AddTypeHandler(new GuidArrayHandler());
    }

    private sealed class DateTimeOffsetHandler : SqlMapper.TypeHandler<DateTimeOffset>
    {
        public override void SetValue(IDbDataParameter parameter, DateTimeOffset value) => parameter.Value = value.ToUniversalTime();

        public override DateTimeOffset Parse(object value) => value switch
        {
            DateTime dateTime => new DateTimeOffset(DateTime.SpecifyKind(dateTime, DateTimeKind.Utc)),
            DateTimeOffset dateTimeOffset => dateTimeOffset,
            _ => throw new InvalidCastException($"Cannot read {value.GetType()} as DateTimeOffset."),
        };
    }

    private sealed class GuidArrayHandler : SqlMapper.TypeHandler<Guid[]>
    {
        public override void SetValue(IDbDataParameter parameter, Guid[]? value) => parameter.Value = value;

        public override Guid[] Parse(object value) => (Guid[])value;
    }
}
