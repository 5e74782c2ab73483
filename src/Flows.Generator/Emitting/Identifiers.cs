using System.Globalization;
using System.Text;
using Microsoft.CodeAnalysis.CSharp;

namespace Flows.Generator.Emitting;

/// <summary>Spelling names and literals so that the generated code compiles whatever the user named things.</summary>
internal static class Identifiers
{
    /// <summary>Prefixes a keyword with <c>@</c>; <c>await</c> too, since generated methods are async.</summary>
    public static string Escape(string name) =>
        SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None || name == "await" ? "@" + name : name;

    /// <summary>
    /// A type's name where a type is expected: keywords and contextual keywords (<c>record</c>, <c>required</c>,
    /// <c>var</c>, <c>file</c>, …) with <c>@</c>, which always means the name itself.
    /// </summary>
    public static string EscapeTypeName(string name) =>
        SyntaxFacts.GetContextualKeywordKind(name) != SyntaxKind.None ? "@" + name : Escape(name);

    /// <summary>
    /// The field of a generated call or body struct that carries the argument of <paramref name="parameterName"/>:
    /// the parameter's own name, except where a field of that name would hide a member every struct inherits
    /// (<c>ToString</c>, <c>Equals</c>, …; CS0108), which takes the generated prefix. No carried parameter can start
    /// with it: steps, inputs and members named so are FLOW008.
    /// </summary>
    public static string Field(string parameterName) =>
        parameterName is "ToString" or "Equals" or "GetHashCode" or "GetType" or "MemberwiseClone" or "Finalize" or "ReferenceEquals"
            ? "__" + parameterName
            : Escape(parameterName);

    /// <summary><c>LoadOrder</c> → <c>loadOrder</c>, for locals named after step outputs.</summary>
    public static string CamelCase(string name) =>
        name.Length == 0 || !char.IsUpper(name[0]) ? name : char.ToLowerInvariant(name[0]) + name.Substring(1);

    public static string StringLiteral(string value)
    {
        var builder = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                case '\0': builder.Append("\\0"); break;
                default:
                    if (char.IsControl(c) || c is '\u2028' or '\u2029' or '\u0085')
                    {
                        builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        return builder.Append('"').ToString();
    }

    /// <summary>
    /// Text safe inside a <c>///</c> XML doc comment: markup characters as entities, and line breaks and other
    /// control characters (which would end the comment's line or are not XML) as spaces.
    /// </summary>
    public static string XmlEscape(string value)
    {
        var builder = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            switch (c)
            {
                case '&': builder.Append("&amp;"); break;
                case '<': builder.Append("&lt;"); break;
                case '>': builder.Append("&gt;"); break;
                case '"': builder.Append("&quot;"); break;
                default:
                    if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                    {
                        builder.Append(c).Append(value[++i]); // one character in two halves
                    }
                    else
                    {
                        // Line breaks would end the comment's line; other control characters and lone surrogates are not XML.
                        builder.Append(char.IsControl(c) || char.IsSurrogate(c) || c is '\u2028' or '\u2029' or '\u0085' ? ' ' : c);
                    }

                    break;
            }
        }

        return builder.ToString();
    }

    /// <summary>A <see langword="double"/> as C# source that reads back as the same value.</summary>
    public static string DoubleLiteral(double value) => value.ToString("R", CultureInfo.InvariantCulture) + "d";

    /// <summary>A name made of letters, digits and underscores, for a group name used as a local.</summary>
    public static string Sanitize(string name)
    {
        var builder = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            builder.Append(char.IsLetterOrDigit(c) || c == '_' ? c : '_');
        }

        return builder.Length == 0 || char.IsDigit(builder[0]) ? "_" + builder : builder.ToString();
    }

    /// <summary>Text safe inside a <c>//</c> comment: line breaks become spaces.</summary>
    public static string Comment(string text) => text.Replace("\r", " ").Replace("\n", " ").Replace("\u2028", " ").Replace("\u2029", " ").Replace("\u0085", " ");
}
