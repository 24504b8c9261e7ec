using System.Globalization;
using System.Text;

namespace KvGrid.Templating.Runtime.Formatting;

/// <summary>
/// Python/glibc <c>strftime</c> on a naive local datetime (C locale): %a %A %b %B %c %d %D %e %f %F %H %I %j %m %M
/// %p %S %T %u %w %y %Y %%, the glibc "-" no-padding flag; %z and %Z are empty as for a naive datetime.
/// </summary>
internal static class PyStrftime
{
    private static readonly string[] Days = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
    private static readonly string[] Months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

    public static string Format(DateTime t, string format)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < format.Length; i++)
        {
            var c = format[i];
            if (c != '%' || i + 1 >= format.Length)
            {
                sb.Append(c);
                continue;
            }
            var code = format[++i];
            var pad = true;
            if (code == '-' && i + 1 < format.Length)
            {
                pad = false;
                code = format[++i];
            }
            string Num(int value, int width) => pad ? value.ToString(new string('0', width), CultureInfo.InvariantCulture) : value.ToString(CultureInfo.InvariantCulture);
            sb.Append(code switch
            {
                'a' => Days[(int)t.DayOfWeek][..3],
                'A' => Days[(int)t.DayOfWeek],
                'b' or 'h' => Months[t.Month - 1][..3],
                'B' => Months[t.Month - 1],
                'c' => $"{Days[(int)t.DayOfWeek][..3]} {Months[t.Month - 1][..3]} {t.Day,2} {t:HH:mm:ss} {t.Year}",
                'd' => Num(t.Day, 2),
                'D' => $"{t:MM/dd/yy}",
                'e' => pad ? t.Day.ToString(CultureInfo.InvariantCulture).PadLeft(2) : t.Day.ToString(CultureInfo.InvariantCulture),
                'f' => (t.Ticks % TimeSpan.TicksPerSecond / 10).ToString("000000", CultureInfo.InvariantCulture),
                'F' => $"{t.Year:0000}-{t.Month:00}-{t.Day:00}",
                'H' => Num(t.Hour, 2),
                'I' => Num(t.Hour % 12 == 0 ? 12 : t.Hour % 12, 2),
                'j' => Num(t.DayOfYear, 3),
                'm' => Num(t.Month, 2),
                'M' => Num(t.Minute, 2),
                'n' => "\n",
                'p' => t.Hour < 12 ? "AM" : "PM",
                'S' => Num(t.Second, 2),
                't' => "\t",
                'T' => $"{t:HH:mm:ss}",
                'u' => (t.DayOfWeek == DayOfWeek.Sunday ? 7 : (int)t.DayOfWeek).ToString(CultureInfo.InvariantCulture),
                'w' => ((int)t.DayOfWeek).ToString(CultureInfo.InvariantCulture),
                'x' => $"{t:MM/dd/yy}",
                'X' => $"{t:HH:mm:ss}",
                'y' => Num(t.Year % 100, 2),
                'C' => Num(t.Year / 100, 2),
                'U' => Num((t.DayOfYear + 6 - (int)t.DayOfWeek) / 7, 2),
                'W' => Num((t.DayOfYear + 6 - ((int)t.DayOfWeek + 6) % 7) / 7, 2),
                'V' => Num(System.Globalization.ISOWeek.GetWeekOfYear(t), 2),
                'G' => System.Globalization.ISOWeek.GetYear(t).ToString(CultureInfo.InvariantCulture),
                'Y' => t.Year.ToString(CultureInfo.InvariantCulture),
                'z' or 'Z' => "",
                '%' => "%",
                _ => "%" + (pad ? "" : "-") + code,
            });
        }
        return sb.ToString();
    }
}
