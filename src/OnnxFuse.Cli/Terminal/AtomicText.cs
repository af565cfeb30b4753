using System.Security.Cryptography;

namespace OnnxFuse.Cli.Terminal;

/// <summary>Writes a text file through a temporary file and a rename, so a failure never leaves half a file.</summary>
static class AtomicText
{
    public static void Write(string path, string text)
    {
        var temporary = $"{path}.tmp-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";
        try
        {
            File.WriteAllText(temporary, text);
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
