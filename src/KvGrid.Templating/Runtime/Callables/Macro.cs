using KvGrid.Templating.Parsing;
using KvGrid.Templating.Runtime.Values;

namespace KvGrid.Templating.Runtime.Callables;

/// <summary>
/// A macro closed over the scope it was defined in (names resolve at call time, as in jinja2).
/// Binding follows <c>jinja2.runtime.Macro</c>: positional, then keyword, then defaults (evaluated in the
/// macro scope), missing ones undefined; extra arguments go to <c>varargs</c>/<c>kwargs</c> only if the body uses them.
/// </summary>
internal sealed class Macro : IPyCallable
{
    private readonly MacroStmt _definition;
    private readonly Scope _closure;

    public Macro(MacroStmt definition, Scope closure)
    {
        _definition = definition;
        _closure = closure;
    }

    public string Name => _definition.Name;

    public object? Call(Interpreter interpreter, Arguments arguments)
    {
        var scope = new Scope(_closure);
        var parameters = _definition.Parameters;
        var named = new Dictionary<string, object?>(arguments.Named);
        object? caller = null;
        var hasCaller = false;
        if (_definition.UsesCaller)
        {
            hasCaller = named.Remove("caller", out caller);
        }
        for (var i = 0; i < parameters.Count; i++)
        {
            var parameter = parameters[i];
            if (i < arguments.Positional.Count)
            {
                if (named.ContainsKey(parameter.Name))
                    throw new JinjaRuntimeError($"macro '{Name}' got multiple values for argument '{parameter.Name}'");
                scope.Set(parameter.Name, arguments.Positional[i]);
            }
            else if (named.Remove(parameter.Name, out var value))
            {
                scope.Set(parameter.Name, value);
            }
            else if (parameter.Default is not null)
            {
                scope.Set(parameter.Name, interpreter.Evaluate(parameter.Default, scope));
            }
            else
            {
                scope.Set(parameter.Name, Undefined.WithHint($"parameter '{parameter.Name}' was not provided"));
            }
        }
        if (_definition.UsesVarargs)
        {
            scope.Set("varargs", new PyTuple(arguments.Positional.Skip(parameters.Count).ToArray()));
        }
        else if (arguments.Positional.Count > parameters.Count)
        {
            throw new JinjaRuntimeError($"macro '{Name}' takes not more than {parameters.Count} argument(s)");
        }
        if (_definition.UsesKwargs)
        {
            var kwargs = new PyDict();
            foreach (var pair in named)
                kwargs.Set(pair.Key, pair.Value);
            scope.Set("kwargs", kwargs);
        }
        else if (named.Count > 0)
        {
            throw new JinjaRuntimeError($"macro '{Name}' takes no keyword argument '{named.Keys.First()}'");
        }
        if (_definition.UsesCaller)
            scope.Set("caller", hasCaller ? caller : Undefined.WithHint("No caller defined"));
        return interpreter.RenderMacroBody(_definition.Body, scope);
    }
}
