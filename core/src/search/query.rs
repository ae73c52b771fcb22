//! The query language's parser: words, phrases, prefixes, `AND`/`OR`/`NOT` and parentheses into
//! a [`Query`] tree (see the module docs of [`crate::search`]).

use super::SearchError;

/// One word of a term.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Word {
    /// The word as typed, without its `*`.
    pub text: String,
    /// Ended in `*`: words starting with it.
    pub prefix: bool,
}

/// A word or a quoted phrase: words in order.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Term {
    /// At least one word.
    pub words: Vec<Word>,
}

/// A parsed query.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Query {
    /// A word or phrase.
    Term(Term),
    /// Every part (adjacent terms, or joined by `AND`).
    And(Vec<Query>),
    /// Any part.
    Or(Vec<Query>),
    /// Not this.
    Not(Box<Query>),
}

#[derive(Clone, PartialEq, Eq, Debug)]
enum Token {
    Term(Term),
    And,
    Or,
    Not,
    Open,
    Close,
}

fn is_quote(c: char) -> bool {
    matches!(c, '"' | '“' | '”' | '„')
}

fn word(text: &str) -> Result<Word, SearchError> {
    let (stem, prefix) = match text.strip_suffix('*') {
        Some(stem) => (stem, true),
        None => (text, false),
    };
    if stem.is_empty() || stem.contains('*') {
        return Err(SearchError::MisplacedStar(text.to_string()));
    }
    Ok(Word {
        text: stem.to_string(),
        prefix,
    })
}

fn tokens(query: &str) -> Result<Vec<Token>, SearchError> {
    let mut out = Vec::new();
    let mut chars = query.char_indices().peekable();
    while let Some(&(i, c)) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
        } else if c == '(' {
            chars.next();
            out.push(Token::Open);
        } else if c == ')' {
            chars.next();
            out.push(Token::Close);
        } else if is_quote(c) {
            chars.next();
            let start = i + c.len_utf8();
            let mut end = None;
            for (j, d) in chars.by_ref() {
                if is_quote(d) {
                    end = Some(j);
                    break;
                }
            }
            let end = end.ok_or(SearchError::UnclosedQuote)?;
            let words = query
                .get(start..end)
                .unwrap_or("")
                .split_whitespace()
                .map(word)
                .collect::<Result<Vec<_>, _>>()?;
            if words.is_empty() {
                return Err(SearchError::EmptyPhrase);
            }
            out.push(Token::Term(Term { words }));
        } else {
            let mut end = query.len();
            while let Some(&(j, d)) = chars.peek() {
                if d.is_whitespace() || d == '(' || d == ')' || is_quote(d) {
                    end = j;
                    break;
                }
                chars.next();
            }
            let text = query.get(i..end).unwrap_or("");
            out.push(match text {
                "AND" => Token::And,
                "OR" => Token::Or,
                "NOT" => Token::Not,
                _ => Token::Term(Term {
                    words: vec![word(text)?],
                }),
            });
        }
    }
    Ok(out)
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn next(&mut self) -> Option<Token> {
        let token = self.tokens.get(self.at).cloned();
        self.at += 1;
        token
    }

    /// The token after an operator must start a term.
    fn starts_term(&self) -> bool {
        matches!(self.peek(), Some(Token::Term(_) | Token::Not | Token::Open))
    }

    fn or(&mut self) -> Result<Query, SearchError> {
        let mut parts = vec![self.and()?];
        while self.peek() == Some(&Token::Or) {
            self.next();
            if !self.starts_term() {
                return Err(SearchError::MissingTerm("OR"));
            }
            parts.push(self.and()?);
        }
        Ok(if parts.len() == 1 {
            parts.remove(0)
        } else {
            Query::Or(parts)
        })
    }

    fn and(&mut self) -> Result<Query, SearchError> {
        let mut parts = vec![self.unary()?];
        loop {
            if self.peek() == Some(&Token::And) {
                self.next();
                if !self.starts_term() {
                    return Err(SearchError::MissingTerm("AND"));
                }
            } else if !self.starts_term() {
                break;
            }
            parts.push(self.unary()?);
        }
        Ok(if parts.len() == 1 {
            parts.remove(0)
        } else {
            Query::And(parts)
        })
    }

    fn unary(&mut self) -> Result<Query, SearchError> {
        if self.peek() == Some(&Token::Not) {
            self.next();
            if !self.starts_term() {
                return Err(SearchError::DanglingNot);
            }
            return Ok(Query::Not(Box::new(self.unary()?)));
        }
        match self.next() {
            Some(Token::Term(term)) => Ok(Query::Term(term)),
            Some(Token::Open) => {
                if self.peek() == Some(&Token::Close) {
                    return Err(SearchError::EmptyParentheses);
                }
                let inner = self.or()?;
                match self.next() {
                    Some(Token::Close) => Ok(inner),
                    _ => Err(SearchError::UnclosedParenthesis),
                }
            }
            Some(Token::Close) => Err(SearchError::UnmatchedParenthesis),
            Some(Token::And) => Err(SearchError::MissingTerm("AND")),
            Some(Token::Or) => Err(SearchError::MissingTerm("OR")),
            Some(Token::Not) => Err(SearchError::DanglingNot),
            None => Err(SearchError::Empty),
        }
    }
}

/// True when every way the query can be true finds something (`NOT x` alone cannot).
fn finds_something(query: &Query) -> bool {
    match query {
        Query::Term(_) => true,
        Query::And(parts) => parts.iter().any(finds_something),
        Query::Or(parts) => parts.iter().all(finds_something),
        Query::Not(_) => false,
    }
}

/// The query typed, parsed (see the module docs of [`crate::search`] for the language), or why
/// it cannot run.
pub fn parse(query: &str) -> Result<Query, SearchError> {
    let tokens = tokens(query)?;
    if tokens.is_empty() {
        return Err(SearchError::Empty);
    }
    let mut parser = Parser { tokens, at: 0 };
    let query = parser.or()?;
    if parser.peek().is_some() {
        // `or` stops only at a `)` it did not open (anything else starts a term or is an
        // operator it reads).
        return Err(SearchError::UnmatchedParenthesis);
    }
    if !finds_something(&query) {
        return Err(SearchError::OnlyNot);
    }
    Ok(query)
}
