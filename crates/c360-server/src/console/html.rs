//! HTML building blocks of the console: escaping, the page layout, small
//! components. Pages are rendered on the server as plain strings: no
//! template engine, no JavaScript — every action is a form post.

use std::fmt::Write;

/// Escapes text for an HTML element or a quoted attribute. Everything a
/// page shows from customer data goes through here (a name like
/// `<script>` or a formula cell stays inert text).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:0;color:#1d2330;background:#f6f7f9}\
header{background:#1d2330;color:#fff;padding:.6rem 1.2rem;display:flex;gap:1.5rem;align-items:center}\
header a{color:#fff;text-decoration:none}main{padding:1rem 1.2rem;max-width:78rem}\
table{border-collapse:collapse;width:100%;background:#fff}th,td{border:1px solid #d8dce3;padding:.35rem .5rem;text-align:left;vertical-align:top}\
th{background:#eef0f4}.agree{background:#e3f6e8}.differ{background:#fde8e8}.partial{background:#fff5d6}\
.muted{color:#667}form.inline{display:inline}button{padding:.35rem .8rem;margin:.2rem;cursor:pointer}\
.merge{background:#1a7f37;color:#fff;border:0}.apart{background:#b42318;color:#fff;border:0}\
.error{background:#fde8e8;padding:.6rem;border:1px solid #b42318}.ok{background:#e3f6e8;padding:.6rem}\
input[type=text],input[type=password],textarea{padding:.3rem;min-width:18rem}";

/// A whole page: header with navigation, then `body`.
pub fn page(title: &str, subject: Option<&str>, body: &str) -> String {
    let mut out = String::with_capacity(body.len() + 1024);
    let _ = write!(
        out,
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
         <title>{} · c360 steward console</title><style>{STYLE}</style></head><body>\
         <header><strong>c360 steward console</strong>",
        escape(title)
    );
    if let Some(subject) = subject {
        let _ = write!(
            out,
            "<a href=\"/\">Review queue</a><span class=\"muted\">signed in as {}</span>\
             <form class=\"inline\" method=\"post\" action=\"/logout\"><button>Sign out</button></form>",
            escape(subject)
        );
    }
    let _ = write!(
        out,
        "</header><main><h1>{}</h1>{body}</main></body></html>",
        escape(title)
    );
    out
}

/// A table from a header row and rows of already-escaped cells.
pub fn table(headers: &[&str], rows: &[Vec<String>]) -> String {
    let mut out = String::from("<table><thead><tr>");
    for header in headers {
        let _ = write!(out, "<th>{}</th>", escape(header));
    }
    out.push_str("</tr></thead><tbody>");
    for row in rows {
        out.push_str("<tr>");
        for cell in row {
            let _ = write!(out, "<td>{cell}</td>");
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn customer_text_stays_inert() {
        assert_eq!(
            escape("<script>alert('x')</script> & \"=HYPERLINK()\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;=HYPERLINK()&quot;"
        );
        let html = page("Ada <b>", Some("o'neil"), "");
        assert!(html.contains("Ada &lt;b&gt;"));
        assert!(html.contains("o&#39;neil"));
    }
}
