//! Lexer and recursive-descent parser: text → [`Ast`] with byte spans.
//!
//! Recursion is bounded by [`ExprLimits::max_depth`] and the tree size by
//! [`ExprLimits::max_nodes`], so no input can overflow the stack or allocate without bound.

use super::{ExprError, ExprLimits, Span};
use crate::diagnostic::{Code, Message};

/// A binary operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum BinOp {
    Or,
    And,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Add,
    Sub,
    Mul,
    Div,
    Rem,
}

impl BinOp {
    pub(crate) fn symbol(self) -> &'static str {
        match self {
            BinOp::Or => "or",
            BinOp::And => "and",
            BinOp::Eq => "==",
            BinOp::Ne => "!=",
            BinOp::Lt => "<",
            BinOp::Le => "<=",
            BinOp::Gt => ">",
            BinOp::Ge => ">=",
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
            BinOp::Rem => "%",
        }
    }
}

/// A parsed expression node with its byte span.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Ast {
    pub kind: AstKind,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum AstKind {
    Null,
    Bool(bool),
    Num(f64),
    Str(String),
    /// `a.b.c`: each segment with its span.
    Path(Vec<(String, Span)>),
    List(Vec<Ast>),
    Not(Box<Ast>),
    Neg(Box<Ast>),
    Binary(BinOp, Box<Ast>, Box<Ast>),
    /// `x in [..]` (negated for `not in`).
    In {
        negated: bool,
        item: Box<Ast>,
        list: Box<Ast>,
    },
    Call {
        name: String,
        name_span: Span,
        args: Vec<Ast>,
    },
    /// `m -> body`, only as a function argument.
    Lambda {
        var: String,
        var_span: Span,
        body: Box<Ast>,
    },
}

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Num(f64),
    Str(String),
    Ident(String),
    LParen,
    RParen,
    LBracket,
    RBracket,
    Comma,
    Dot,
    Arrow,
    Op(BinOp),
    Minus,
}

fn syntax(span: Span, vi: impl Into<String>, en: impl Into<String>) -> ExprError {
    ExprError::new(Code::ExprSyntax, span, Message::new(vi, en))
}

fn lex(text: &str) -> Result<Vec<(Tok, Span)>, ExprError> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0usize;
    while i < bytes.len() {
        let c = bytes[i];
        let start = i;
        let one = |tok| (tok, Span::new(start, start + 1));
        match c {
            b' ' | b'\t' | b'\n' | b'\r' => {
                i += 1;
                continue;
            }
            b'(' => out.push(one(Tok::LParen)),
            b')' => out.push(one(Tok::RParen)),
            b'[' => out.push(one(Tok::LBracket)),
            b']' => out.push(one(Tok::RBracket)),
            b',' => out.push(one(Tok::Comma)),
            b'.' => out.push(one(Tok::Dot)),
            b'+' => out.push(one(Tok::Op(BinOp::Add))),
            b'*' => out.push(one(Tok::Op(BinOp::Mul))),
            b'/' => out.push(one(Tok::Op(BinOp::Div))),
            b'%' => out.push(one(Tok::Op(BinOp::Rem))),
            b'-' => {
                if bytes.get(i + 1) == Some(&b'>') {
                    out.push((Tok::Arrow, Span::new(i, i + 2)));
                    i += 2;
                    continue;
                }
                out.push(one(Tok::Minus));
            }
            b'=' | b'!' | b'<' | b'>' => {
                let eq = bytes.get(i + 1) == Some(&b'=');
                let op = match (c, eq) {
                    (b'=', true) => BinOp::Eq,
                    (b'!', true) => BinOp::Ne,
                    (b'<', true) => BinOp::Le,
                    (b'>', true) => BinOp::Ge,
                    (b'<', false) => BinOp::Lt,
                    (b'>', false) => BinOp::Gt,
                    (b'=', false) => {
                        return Err(syntax(
                            Span::new(i, i + 1),
                            "Dùng `==` để so sánh bằng",
                            "use `==` to compare for equality",
                        ));
                    }
                    _ => {
                        return Err(syntax(Span::new(i, i + 1), "Dùng `not` thay cho `!`", "use `not` instead of `!`"));
                    }
                };
                let len = if eq { 2 } else { 1 };
                out.push((Tok::Op(op), Span::new(i, i + len)));
                i += len;
                continue;
            }
            b'&' | b'|' => {
                let (vi, en) = if c == b'&' {
                    ("Dùng `and` thay cho `&&`", "use `and` instead of `&&`")
                } else {
                    ("Dùng `or` thay cho `||`", "use `or` instead of `||`")
                };
                return Err(syntax(Span::new(i, i + 1), vi, en));
            }
            b'\'' | b'"' => {
                let quote = c;
                let mut s = String::new();
                let mut j = i + 1;
                loop {
                    let Some(ch) = text[j..].chars().next() else {
                        return Err(syntax(Span::new(i, text.len()), "Chuỗi chưa được đóng", "unterminated string"));
                    };
                    if ch == quote as char {
                        j += 1;
                        break;
                    }
                    if ch == '\\' {
                        let esc = text[j + 1..].chars().next();
                        let decoded = match esc {
                            Some('\\') => '\\',
                            Some('\'') => '\'',
                            Some('"') => '"',
                            Some('n') => '\n',
                            Some('t') => '\t',
                            _ => {
                                let end = j + 1 + esc.map_or(0, char::len_utf8);
                                return Err(syntax(
                                    Span::new(j, end),
                                    "Ký tự thoát không hợp lệ (chỉ \\\\ \\' \\\" \\n \\t)",
                                    "invalid escape (only \\\\ \\' \\\" \\n \\t)",
                                ));
                            }
                        };
                        s.push(decoded);
                        j += 2;
                        continue;
                    }
                    s.push(ch);
                    j += ch.len_utf8();
                }
                out.push((Tok::Str(s), Span::new(i, j)));
                i = j;
                continue;
            }
            b'0'..=b'9' => {
                let mut j = i;
                let mut digits = String::new();
                let mut seen_dot = false;
                while j < bytes.len() {
                    let d = bytes[j];
                    if d.is_ascii_digit() {
                        digits.push(d as char);
                    } else if d == b'_' {
                    } else if d == b'.' && !seen_dot && bytes.get(j + 1).is_some_and(u8::is_ascii_digit) {
                        seen_dot = true;
                        digits.push('.');
                    } else {
                        break;
                    }
                    j += 1;
                }
                if bytes.get(j).is_some_and(|b| b.is_ascii_alphabetic() || *b == b'_') {
                    return Err(syntax(Span::new(i, j + 1), "Số không hợp lệ", "invalid number"));
                }
                let value: f64 =
                    digits.parse().map_err(|_| syntax(Span::new(i, j), "Số không hợp lệ", "invalid number"))?;
                if !value.is_finite() {
                    return Err(syntax(Span::new(i, j), "Số quá lớn", "number too large"));
                }
                out.push((Tok::Num(value), Span::new(i, j)));
                i = j;
                continue;
            }
            _ if c.is_ascii_alphabetic() || c == b'_' => {
                let mut j = i;
                while j < bytes.len() && (bytes[j].is_ascii_alphanumeric() || bytes[j] == b'_') {
                    j += 1;
                }
                out.push((Tok::Ident(text[i..j].to_owned()), Span::new(i, j)));
                i = j;
                continue;
            }
            _ => {
                let ch = text[i..].chars().next().unwrap_or('?');
                return Err(syntax(
                    Span::new(i, i + ch.len_utf8()),
                    format!("Ký tự không hợp lệ `{ch}` (tên trường chỉ dùng chữ ASCII, số và `_`)"),
                    format!("unexpected character `{ch}` (names use ASCII letters, digits and `_`)"),
                ));
            }
        }
        i += 1;
    }
    Ok(out)
}

struct Parser<'l> {
    toks: Vec<(Tok, Span)>,
    pos: usize,
    end: usize,
    nodes: usize,
    depth: usize,
    limits: &'l ExprLimits,
}

const KEYWORDS: &[&str] = &["and", "or", "not", "in", "true", "false", "null"];

/// Parses an expression (syntax only).
pub(crate) fn parse(text: &str, limits: &ExprLimits) -> Result<Ast, ExprError> {
    if text.len() > limits.max_bytes {
        return Err(ExprError::new(
            Code::LimitExceeded,
            Span::new(0, text.len()),
            Message::new(
                format!("Biểu thức quá dài (tối đa {} byte)", limits.max_bytes),
                format!("expression too long (at most {} bytes)", limits.max_bytes),
            ),
        ));
    }
    let toks = lex(text)?;
    let mut p = Parser { toks, pos: 0, end: text.len(), nodes: 0, depth: 0, limits };
    if p.toks.is_empty() {
        return Err(syntax(Span::new(0, text.len()), "Biểu thức rỗng", "empty expression"));
    }
    let ast = p.expr()?;
    if let Some((_, span)) = p.toks.get(p.pos) {
        return Err(syntax(*span, "Thừa phần sau biểu thức", "unexpected text after the expression"));
    }
    Ok(ast)
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos).map(|(t, _)| t)
    }

    fn peek_span(&self) -> Span {
        self.toks.get(self.pos).map_or(Span::new(self.end, self.end), |(_, s)| *s)
    }

    fn is_word(&self, word: &str) -> bool {
        matches!(self.peek(), Some(Tok::Ident(w)) if w == word)
    }

    fn node(&mut self, kind: AstKind, span: Span) -> Result<Ast, ExprError> {
        self.nodes += 1;
        if self.nodes > self.limits.max_nodes {
            return Err(ExprError::new(
                Code::LimitExceeded,
                span,
                Message::new(
                    format!("Biểu thức quá phức tạp (tối đa {} nút)", self.limits.max_nodes),
                    format!("expression too complex (at most {} nodes)", self.limits.max_nodes),
                ),
            ));
        }
        Ok(Ast { kind, span })
    }

    fn enter(&mut self) -> Result<(), ExprError> {
        self.depth += 1;
        if self.depth > self.limits.max_depth {
            return Err(ExprError::new(
                Code::LimitExceeded,
                self.peek_span(),
                Message::new(
                    format!("Biểu thức lồng nhau quá sâu (tối đa {} cấp)", self.limits.max_depth),
                    format!("expression nested too deeply (at most {} levels)", self.limits.max_depth),
                ),
            ));
        }
        Ok(())
    }

    fn expect(&mut self, tok: &Tok, vi: &str, en: &str) -> Result<Span, ExprError> {
        if self.peek() == Some(tok) {
            let span = self.peek_span();
            self.pos += 1;
            Ok(span)
        } else {
            Err(syntax(self.peek_span(), vi, en))
        }
    }

    fn expr(&mut self) -> Result<Ast, ExprError> {
        self.enter()?;
        let r = self.or();
        self.depth -= 1;
        r
    }

    fn or(&mut self) -> Result<Ast, ExprError> {
        let mut left = self.and()?;
        while self.is_word("or") {
            self.pos += 1;
            let right = self.and()?;
            let span = left.span.to(right.span);
            left = self.node(AstKind::Binary(BinOp::Or, Box::new(left), Box::new(right)), span)?;
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Ast, ExprError> {
        let mut left = self.not()?;
        while self.is_word("and") {
            self.pos += 1;
            let right = self.not()?;
            let span = left.span.to(right.span);
            left = self.node(AstKind::Binary(BinOp::And, Box::new(left), Box::new(right)), span)?;
        }
        Ok(left)
    }

    fn not(&mut self) -> Result<Ast, ExprError> {
        if self.is_word("not") {
            let start = self.peek_span();
            self.pos += 1;
            self.enter()?;
            let inner = self.not();
            self.depth -= 1;
            let inner = inner?;
            let span = start.to(inner.span);
            return self.node(AstKind::Not(Box::new(inner)), span);
        }
        self.comparison()
    }

    fn comparison(&mut self) -> Result<Ast, ExprError> {
        let left = self.additive()?;
        let op = match self.peek() {
            Some(Tok::Op(op @ (BinOp::Eq | BinOp::Ne | BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge))) => Some(*op),
            _ => None,
        };
        let result = if let Some(op) = op {
            self.pos += 1;
            let right = self.additive()?;
            let span = left.span.to(right.span);
            self.node(AstKind::Binary(op, Box::new(left), Box::new(right)), span)?
        } else if self.is_word("in")
            || (self.is_word("not") && matches!(self.toks.get(self.pos + 1), Some((Tok::Ident(w), _)) if w == "in"))
        {
            let negated = self.is_word("not");
            self.pos += if negated { 2 } else { 1 };
            let list = self.additive()?;
            if !matches!(list.kind, AstKind::List(_)) {
                return Err(syntax(
                    list.span,
                    "Sau `in` phải là một danh sách, ví dụ `['a', 'b']`",
                    "`in` must be followed by a list such as `['a', 'b']`",
                ));
            }
            let span = left.span.to(list.span);
            self.node(AstKind::In { negated, item: Box::new(left), list: Box::new(list) }, span)?
        } else {
            return Ok(left);
        };
        if matches!(self.peek(), Some(Tok::Op(BinOp::Eq | BinOp::Ne | BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge)))
            || self.is_word("in")
        {
            return Err(syntax(
                self.peek_span(),
                "Không thể nối tiếp hai phép so sánh; dùng `and`",
                "comparisons cannot be chained; use `and`",
            ));
        }
        Ok(result)
    }

    fn additive(&mut self) -> Result<Ast, ExprError> {
        let mut left = self.multiplicative()?;
        loop {
            let op = match self.peek() {
                Some(Tok::Op(BinOp::Add)) => BinOp::Add,
                Some(Tok::Minus) => BinOp::Sub,
                _ => return Ok(left),
            };
            self.pos += 1;
            let right = self.multiplicative()?;
            let span = left.span.to(right.span);
            left = self.node(AstKind::Binary(op, Box::new(left), Box::new(right)), span)?;
        }
    }

    fn multiplicative(&mut self) -> Result<Ast, ExprError> {
        let mut left = self.unary()?;
        loop {
            let op = match self.peek() {
                Some(Tok::Op(op @ (BinOp::Mul | BinOp::Div | BinOp::Rem))) => *op,
                _ => return Ok(left),
            };
            self.pos += 1;
            let right = self.unary()?;
            let span = left.span.to(right.span);
            left = self.node(AstKind::Binary(op, Box::new(left), Box::new(right)), span)?;
        }
    }

    fn unary(&mut self) -> Result<Ast, ExprError> {
        if self.peek() == Some(&Tok::Minus) {
            let start = self.peek_span();
            self.pos += 1;
            self.enter()?;
            let inner = self.unary();
            self.depth -= 1;
            let inner = inner?;
            let span = start.to(inner.span);
            return self.node(AstKind::Neg(Box::new(inner)), span);
        }
        self.primary()
    }

    fn primary(&mut self) -> Result<Ast, ExprError> {
        let span = self.peek_span();
        let Some(tok) = self.peek().cloned() else {
            return Err(syntax(span, "Biểu thức kết thúc quá sớm", "unexpected end of expression"));
        };
        self.pos += 1;
        match tok {
            Tok::Num(n) => self.node(AstKind::Num(n), span),
            Tok::Str(s) => self.node(AstKind::Str(s), span),
            Tok::LParen => {
                let inner = self.expr()?;
                self.expect(&Tok::RParen, "Thiếu dấu `)`", "expected `)`")?;
                Ok(inner)
            }
            Tok::LBracket => {
                self.enter()?;
                let mut items = Vec::new();
                if self.peek() != Some(&Tok::RBracket) {
                    loop {
                        items.push(self.expr()?);
                        if self.peek() == Some(&Tok::Comma) {
                            self.pos += 1;
                            continue;
                        }
                        break;
                    }
                }
                let end = self.expect(&Tok::RBracket, "Thiếu dấu `]` hoặc `,`", "expected `]` or `,`")?;
                self.depth -= 1;
                self.node(AstKind::List(items), span.to(end))
            }
            Tok::Ident(word) => match word.as_str() {
                "true" => self.node(AstKind::Bool(true), span),
                "false" => self.node(AstKind::Bool(false), span),
                "null" => self.node(AstKind::Null, span),
                w if KEYWORDS.contains(&w) => Err(syntax(
                    span,
                    format!("Từ khóa `{w}` không đứng ở vị trí này"),
                    format!("keyword `{w}` is not allowed here"),
                )),
                _ if self.peek() == Some(&Tok::LParen) => self.call(word, span),
                _ => {
                    let mut segments = vec![(word, span)];
                    while self.peek() == Some(&Tok::Dot) {
                        self.pos += 1;
                        match self.toks.get(self.pos).cloned() {
                            Some((Tok::Ident(name), s)) if !KEYWORDS.contains(&name.as_str()) => {
                                segments.push((name, s));
                                self.pos += 1;
                            }
                            _ => {
                                return Err(syntax(
                                    self.peek_span(),
                                    "Sau dấu `.` phải là tên trường",
                                    "expected a field name after `.`",
                                ));
                            }
                        }
                    }
                    let full = span.to(segments.last().map_or(span, |(_, s)| *s));
                    self.node(AstKind::Path(segments), full)
                }
            },
            Tok::Arrow => Err(syntax(
                span,
                "`->` chỉ dùng trong đối số hàm, ví dụ `any(members, m -> m.age > 18)`",
                "`->` only appears in a function argument, e.g. `any(members, m -> m.age > 18)`",
            )),
            _ => Err(syntax(span, "Cần một giá trị, tên trường hoặc `(`", "expected a value, a field name or `(`")),
        }
    }

    fn call(&mut self, name: String, name_span: Span) -> Result<Ast, ExprError> {
        self.enter()?;
        self.pos += 1; // `(`
        let mut args = Vec::new();
        if self.peek() != Some(&Tok::RParen) {
            loop {
                args.push(self.argument()?);
                if self.peek() == Some(&Tok::Comma) {
                    self.pos += 1;
                    continue;
                }
                break;
            }
        }
        let end = self.expect(
            &Tok::RParen,
            "Thiếu dấu `)` hoặc `,` trong lời gọi hàm",
            "expected `)` or `,` in the function call",
        )?;
        self.depth -= 1;
        self.node(AstKind::Call { name, name_span, args }, name_span.to(end))
    }

    fn argument(&mut self) -> Result<Ast, ExprError> {
        if let (Some((Tok::Ident(var), var_span)), Some((Tok::Arrow, _))) =
            (self.toks.get(self.pos).cloned(), self.toks.get(self.pos + 1))
        {
            if KEYWORDS.contains(&var.as_str()) {
                return Err(syntax(var_span, "Tên biến không được là từ khóa", "a variable name cannot be a keyword"));
            }
            self.pos += 2;
            let body = self.expr()?;
            let span = var_span.to(body.span);
            return self.node(AstKind::Lambda { var, var_span, body: Box::new(body) }, span);
        }
        self.expr()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str) -> Result<Ast, ExprError> {
        parse(text, &ExprLimits::default())
    }

    #[test]
    fn precedence_and_spans() {
        let ast = p("a.b + 2 * 3 > 7 and not c").unwrap();
        let AstKind::Binary(BinOp::And, left, right) = &ast.kind else { panic!("{ast:?}") };
        assert!(matches!(left.kind, AstKind::Binary(BinOp::Gt, ..)));
        assert!(matches!(right.kind, AstKind::Not(_)));
        assert_eq!(ast.span, Span::new(0, 25));
        let AstKind::Binary(_, sum, _) = &left.kind else { panic!() };
        assert_eq!(sum.span, Span::new(0, 11));
    }

    #[test]
    fn literals_lists_lambdas() {
        assert_eq!(p("1_000_000").unwrap().kind, AstKind::Num(1_000_000.0));
        assert_eq!(p("'Hà Nội'").unwrap().kind, AstKind::Str("Hà Nội".into()));
        assert_eq!(p("\"it\\'s\"").unwrap().kind, AstKind::Str("it's".into()));
        assert!(matches!(p("x not in ['a', 'b']").unwrap().kind, AstKind::In { negated: true, .. }));
        let ast = p("any(members, m -> m.age >= 18)").unwrap();
        let AstKind::Call { args, .. } = ast.kind else { panic!() };
        assert!(matches!(args[1].kind, AstKind::Lambda { .. }));
    }

    #[test]
    fn syntax_errors_have_spans() {
        let e = p("a = 1").unwrap_err();
        assert_eq!((e.code, e.span), (Code::ExprSyntax, Span::new(2, 3)));
        let e = p("a && b").unwrap_err();
        assert_eq!(e.span, Span::new(2, 3));
        let e = p("(a > 1").unwrap_err();
        assert_eq!(e.span, Span::new(6, 6));
        let e = p("a < b < c").unwrap_err();
        assert_eq!(e.span, Span::new(6, 7));
        let e = p("tên == 1").unwrap_err();
        assert_eq!(e.span, Span::new(1, 3));
        assert_eq!(p("'abc").unwrap_err().span, Span::new(0, 4));
        assert_eq!(p("").unwrap_err().code, Code::ExprSyntax);
        assert_eq!(p("a b").unwrap_err().span, Span::new(2, 3));
        assert_eq!(p("x in y").unwrap_err().span, Span::new(5, 6));
        assert_eq!(p("12abc").unwrap_err().code, Code::ExprSyntax);
    }

    #[test]
    fn limits_bound_depth_and_size() {
        let deep = format!("{}1{}", "(".repeat(100), ")".repeat(100));
        assert_eq!(p(&deep).unwrap_err().code, Code::LimitExceeded);
        let nots = format!("{}true", "not ".repeat(100));
        assert_eq!(p(&nots).unwrap_err().code, Code::LimitExceeded);
        let negs = "-".repeat(1000);
        assert_eq!(p(&negs).unwrap_err().code, Code::LimitExceeded);
        let wide = vec!["1"; 400].join(" + ");
        assert_eq!(p(&wide).unwrap_err().code, Code::LimitExceeded);
        let long = "a".repeat(10_000);
        assert_eq!(p(&long).unwrap_err().code, Code::LimitExceeded);
    }
}
