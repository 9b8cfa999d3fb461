using System.Diagnostics;
using System.Text;

namespace CinchFlows.IntegrationTests.Infrastructure;

/// <summary>What a child process prints (stdout and stderr, line by line), kept for failure messages; the oldest half goes once it passes <c>limit</c> characters.</summary>
internal sealed class ProcessOutput(int limit = int.MaxValue)
{
    private readonly StringBuilder text = new();

    /// <summary>Everything kept so far.</summary>
    public string Text
    {
        get
        {
            lock (text)
            {
                return text.ToString();
            }
        }
    }

    /// <summary>Starts reading a started process's redirected stdout and stderr into this buffer.</summary>
    public void Attach(Process process)
    {
        ArgumentNullException.ThrowIfNull(process);
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>Adds a line (null, the end of a stream, is ignored).</summary>
    public void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (text)
        {
            if (text.Length > limit)
            {
                text.Remove(0, text.Length - (limit / 2));
            }

            text.AppendLine(line);
        }
    }

    /// <summary>The last <paramref name="characters"/> characters.</summary>
    public string Tail(int characters)
    {
        var all = Text;
        return all.Length <= characters ? all : all[^characters..];
    }
}
