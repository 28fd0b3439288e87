//! Tera with bounds, for `--template FILE` (issue #22): a template is a
//! program, and tera has no limit of its own. A macro calling itself
//! overflows the stack (an abort, not an error), `range(end=1e9)` or
//! `range(step_by=0)` allocates without end, and a loop can write without
//! end. So macros may not call macros, `range` is bounded, the output is
//! capped, and a render that does not finish in time is an error.

use std::collections::HashMap;
use std::io::Write;
use std::sync::mpsc;
use std::time::Duration;

use tera::ast::{Expr, ExprVal, Node};
use tera::{Context, Tera, Value};

/// Most numbers one `range` call may give.
const MAX_RANGE: usize = 1_000_000;
/// Most bytes a template may write: a 500-condition report is ~10 MB.
const MAX_OUTPUT: usize = 256 << 20;
/// Longest a render may take; the built-in templates take well under a second.
const RENDER_TIMEOUT: Duration = Duration::from_secs(60);

/// A Tera holding the one template `source` under `name`, with a bounded
/// `range`; an error when a macro in it calls a macro. With `autoescape`,
/// tera's own rule: names ending in .html, .htm or .xml are escaped.
pub fn load(name: &str, source: &str, autoescape: bool) -> tera::Result<Tera> {
    let mut tera = Tera::default();
    if !autoescape {
        tera.autoescape_on(vec![]);
    }
    tera.register_function("range", bounded_range);
    tera.add_raw_template(name, source)?;
    let template = tera.get_template(name)?;
    let mut names: Vec<&String> = template.macros.keys().collect();
    names.sort();
    for macro_name in names {
        let body = &template.macros[macro_name].body;
        if let Some(called) = first_macro_call(body) {
            return Err(tera::Error::msg(format!(
                "macro `{macro_name}` calls macro `{called}`: a macro may not call a macro \
                 (recursion would overflow the stack)"
            )));
        }
    }
    Ok(tera)
}

/// Renders `name` with at most [`MAX_OUTPUT`] bytes in [`RENDER_TIMEOUT`].
pub fn render(tera: Tera, name: &str, context: Context) -> tera::Result<String> {
    render_within(tera, name, context, MAX_OUTPUT, RENDER_TIMEOUT)
}

fn render_within(
    tera: Tera,
    name: &str,
    context: Context,
    max_output: usize,
    timeout: Duration,
) -> tera::Result<String> {
    let (send, receive) = mpsc::channel();
    let name = name.to_string();
    std::thread::spawn(move || {
        let mut out = Capped {
            bytes: Vec::new(),
            max: max_output,
        };
        let result = tera
            .render_to(&name, &context, &mut out)
            .map(|()| out.bytes);
        // the receiver is gone only after a timeout, when no one waits
        let _ = send.send(result);
    });
    let bytes = match receive.recv_timeout(timeout) {
        Ok(result) => result?,
        Err(_) => {
            return Err(tera::Error::msg(format!(
                "the template did not finish rendering in {} s",
                timeout.as_secs_f64()
            )));
        }
    };
    String::from_utf8(bytes).map_err(|e| tera::Error::msg(format!("output is not UTF-8: {e}")))
}

/// A tera error with its causes, which say what went wrong and where.
pub fn message(e: &tera::Error) -> String {
    let mut message = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(cause) = source {
        message.push_str(&format!(": {cause}"));
        source = cause.source();
    }
    message
}

/// A buffer that refuses to grow past `max` bytes.
struct Capped {
    bytes: Vec<u8>,
    max: usize,
}

impl Write for Capped {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        if self.bytes.len() + bytes.len() > self.max {
            return Err(std::io::Error::other(format!(
                "the template wrote more than {} bytes",
                self.max
            )));
        }
        self.bytes.extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Tera's `range(start, end, step_by)`, refusing a step of 0 and more than
/// [`MAX_RANGE`] numbers.
fn bounded_range(args: &HashMap<String, Value>) -> tera::Result<Value> {
    let arg = |key: &str, default: Option<usize>| -> tera::Result<usize> {
        match args.get(key) {
            Some(v) => v
                .as_u64()
                .and_then(|n| usize::try_from(n).ok())
                .ok_or_else(|| {
                    tera::Error::msg(format!(
                        "`range` got {key}={v}: expected a whole number ≥ 0"
                    ))
                }),
            None => default
                .ok_or_else(|| tera::Error::msg(format!("`range` was called without `{key}`"))),
        }
    };
    let (start, end, step) = (
        arg("start", Some(0))?,
        arg("end", None)?,
        arg("step_by", Some(1))?,
    );
    if start > end {
        return Err(tera::Error::msg("`range` got start greater than end"));
    }
    if step == 0 {
        return Err(tera::Error::msg(
            "`range` got step_by=0: it would never end",
        ));
    }
    let count = (end - start).div_ceil(step);
    if count > MAX_RANGE {
        return Err(tera::Error::msg(format!(
            "`range` would give {count} numbers: at most {MAX_RANGE}"
        )));
    }
    Ok(Value::from(
        (start..end).step_by(step).collect::<Vec<usize>>(),
    ))
}

/// The first macro a template body calls, in any node or expression.
fn first_macro_call(body: &[Node]) -> Option<String> {
    body.iter().find_map(node_call)
}

fn node_call(node: &Node) -> Option<String> {
    match node {
        Node::VariableBlock(_, e) => expr_call(e),
        Node::Set(_, set) => expr_call(&set.value),
        Node::FilterSection(_, section, _) => section
            .filter
            .args
            .values()
            .find_map(expr_call)
            .or_else(|| first_macro_call(&section.body)),
        Node::Block(_, block, _) => first_macro_call(&block.body),
        Node::Forloop(_, each, _) => expr_call(&each.container)
            .or_else(|| first_macro_call(&each.body))
            .or_else(|| each.empty_body.as_deref().and_then(first_macro_call)),
        Node::If(branches, _) => branches
            .conditions
            .iter()
            .find_map(|(_, e, body)| expr_call(e).or_else(|| first_macro_call(body)))
            .or_else(|| {
                branches
                    .otherwise
                    .as_ref()
                    .and_then(|(_, b)| first_macro_call(b))
            }),
        Node::MacroDefinition(_, def, _) => first_macro_call(&def.body),
        _ => None,
    }
}

fn expr_call(expr: &Expr) -> Option<String> {
    val_call(&expr.val).or_else(|| {
        expr.filters
            .iter()
            .find_map(|f| f.args.values().find_map(expr_call))
    })
}

fn val_call(val: &ExprVal) -> Option<String> {
    match val {
        ExprVal::MacroCall(call) => Some(format!("{}::{}", call.namespace, call.name)),
        ExprVal::Math(m) => expr_call(&m.lhs).or_else(|| expr_call(&m.rhs)),
        ExprVal::Logic(l) => expr_call(&l.lhs).or_else(|| expr_call(&l.rhs)),
        ExprVal::In(i) => expr_call(&i.lhs).or_else(|| expr_call(&i.rhs)),
        ExprVal::Test(t) => t.args.iter().find_map(expr_call),
        ExprVal::FunctionCall(f) => f.args.values().find_map(expr_call),
        ExprVal::Array(items) => items.iter().find_map(expr_call),
        ExprVal::StringConcat(c) => c.values.iter().find_map(val_call),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(source: &str) -> tera::Result<String> {
        let tera = load("t", source, false)?;
        render(tera, "t", Context::new())
    }

    fn err(source: &str) -> String {
        message(&run(source).expect_err("an error"))
    }

    #[test]
    fn range_gives_what_teras_gives_within_its_bound() {
        assert_eq!(
            run("{{ range(end=4) | join(sep=',') }}").unwrap(),
            "0,1,2,3"
        );
        assert_eq!(
            run("{{ range(start=1, end=8, step_by=3) | join(sep=',') }}").unwrap(),
            "1,4,7"
        );
        assert!(err("{{ range(end=1000000000) }}").contains("at most 1000000"));
        assert!(err("{{ range(end=5, step_by=0) }}").contains("never end"));
        assert!(err("{{ range(start=5, end=1) }}").contains("greater"));
    }

    #[test]
    fn a_macro_calling_a_macro_is_refused_wherever_the_call_is() {
        for body in [
            "{{ self::f(n=1) }}",
            "{% if self::f(n=1) %}x{% endif %}",
            "{% for i in [1] %}{{ i + self::f(n=1) | length }}{% endfor %}",
            "{% set x = self::f(n=1) %}",
        ] {
            let source =
                format!("{{% macro f(n) %}}{body}{{% endmacro f %}}{{{{ self::f(n=0) }}}}");
            assert!(
                err(&source).contains("macro `f` calls macro `self::f`"),
                "{body}"
            );
        }
        let plain = "{% macro f(n) %}<{{ n }}>{% endmacro f %}{{ self::f(n=2) }}";
        assert_eq!(run(plain).unwrap(), "<2>");
    }

    fn bounded(source: &str, max_output: usize, timeout: Duration) -> String {
        let tera = load("t", source, false).unwrap();
        message(&render_within(tera, "t", Context::new(), max_output, timeout).unwrap_err())
    }

    #[test]
    fn output_past_the_cap_is_an_error() {
        let source = "{% for i in range(end=1000) %}xxxx{% endfor %}";
        assert!(bounded(source, 1000, RENDER_TIMEOUT).contains("more than 1000 bytes"));
    }

    #[test]
    fn a_render_past_the_timeout_is_an_error() {
        // 4 million iterations: far longer than 10 ms, and soon over after
        let source =
            "{% for i in range(end=2000) %}{% for j in range(end=2000) %}{% endfor %}{% endfor %}";
        let e = bounded(source, MAX_OUTPUT, Duration::from_millis(10));
        assert!(e.contains("did not finish rendering in 0.01 s"), "{e}");
    }
}
