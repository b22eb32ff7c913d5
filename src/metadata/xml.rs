//! A small read-only element tree built with quick-xml's namespace-aware reader, so the
//! SOAP and source-file code can ask "the `records` child in the metadata namespace"
//! instead of matching prefixes. Entities are resolved (the predefined ones and character
//! references); anything else, unclosed tags or a second root is an error.

use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::Event;
use quick_xml::name::ResolveResult;
use quick_xml::NsReader;

/// The XML Schema instance namespace (`xsi:type`, `xsi:nil`).
pub const XSI: &str = "http://www.w3.org/2001/XMLSchema-instance";

/// Deeper than this is not a Salesforce response.
const MAX_DEPTH: usize = 64;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attribute {
    pub namespace: Option<String>,
    pub name: String,
    pub value: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Element {
    pub namespace: Option<String>,
    /// The local name (no prefix).
    pub name: String,
    pub attributes: Vec<Attribute>,
    pub children: Vec<Element>,
    text: String,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum XmlError {
    #[error("not well-formed XML: {0}")]
    Syntax(String),
    #[error("the document has no root element")]
    Empty,
    #[error("elements nested deeper than {MAX_DEPTH}")]
    TooDeep,
}

impl Element {
    /// This element is `name` in namespace `ns`.
    pub fn is(&self, ns: &str, name: &str) -> bool {
        self.name == name && self.namespace.as_deref() == Some(ns)
    }

    /// The element's own text (entities resolved; child elements' text not included).
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The first child `name` in namespace `ns`.
    pub fn child(&self, ns: &str, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.is(ns, name))
    }

    /// Every child `name` in namespace `ns`, in document order.
    pub fn children_named<'a>(
        &'a self,
        ns: &'a str,
        name: &'a str,
    ) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.is(ns, name))
    }

    /// The first child element whatever its name.
    pub fn first_child(&self) -> Option<&Element> {
        self.children.first()
    }

    pub fn attribute(&self, ns: Option<&str>, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|a| a.name == name && a.namespace.as_deref() == ns)
            .map(|a| a.value.as_str())
    }

    /// `xsi:nil="true"`.
    pub fn is_nil(&self) -> bool {
        self.attribute(Some(XSI), "nil")
            .is_some_and(|v| v.trim() == "true" || v.trim() == "1")
    }
}

fn namespace(result: ResolveResult<'_>) -> Result<Option<String>, XmlError> {
    match result {
        ResolveResult::Unbound => Ok(None),
        ResolveResult::Bound(ns) => Ok(Some(ns.into_inner().to_owned())),
        ResolveResult::Unknown(prefix) => Err(XmlError::Syntax(format!(
            "undeclared namespace prefix `{prefix}`"
        ))),
    }
}

fn syntax(e: impl std::fmt::Display) -> XmlError {
    XmlError::Syntax(e.to_string())
}

/// Parses a whole document into its root element.
pub fn parse(document: &str) -> Result<Element, XmlError> {
    let mut reader = NsReader::from_str(document);
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    loop {
        let (ns, event) = reader.read_resolved_event().map_err(syntax)?;
        let ns = namespace(ns);
        match event {
            Event::Start(ref start) | Event::Empty(ref start) => {
                if root.is_some() {
                    return Err(XmlError::Syntax("content after the root element".into()));
                }
                if stack.len() >= MAX_DEPTH {
                    return Err(XmlError::TooDeep);
                }
                let mut element = Element {
                    namespace: ns?,
                    name: start.local_name().into_inner().to_owned(),
                    attributes: Vec::new(),
                    children: Vec::new(),
                    text: String::new(),
                };
                for attr in start.attributes() {
                    let attr = attr.map_err(syntax)?;
                    if attr.key.as_namespace_binding().is_some() {
                        continue;
                    }
                    let (ans, local) = reader.resolver().resolve_attribute(attr.key);
                    element.attributes.push(Attribute {
                        namespace: namespace(ans)?,
                        name: local.into_inner().to_owned(),
                        value: attr
                            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                            .map_err(syntax)?
                            .into_owned(),
                    });
                }
                if matches!(event, Event::Empty(_)) {
                    close(element, &mut stack, &mut root);
                } else {
                    stack.push(element);
                }
            }
            Event::End(_) => {
                let element = stack
                    .pop()
                    .ok_or_else(|| XmlError::Syntax("unexpected end tag".into()))?;
                close(element, &mut stack, &mut root);
            }
            Event::Text(text) => push_text(&mut stack, &text.xml10_content())?,
            Event::CData(data) => push_text(&mut stack, &data.xml10_content())?,
            Event::GeneralRef(reference) => {
                let resolved = match reference.resolve_char_ref().map_err(syntax)? {
                    Some(ch) => ch.to_string(),
                    None => resolve_predefined_entity(&reference)
                        .ok_or_else(|| {
                            XmlError::Syntax(format!("unknown entity `&{};`", &*reference))
                        })?
                        .to_owned(),
                };
                push_text(&mut stack, &resolved)?;
            }
            Event::Eof => break,
            Event::Decl(_) | Event::Comment(_) | Event::PI(_) | Event::DocType(_) => {}
        }
    }
    if !stack.is_empty() {
        return Err(XmlError::Syntax("unclosed element at the end".into()));
    }
    root.ok_or(XmlError::Empty)
}

fn close(element: Element, stack: &mut [Element], root: &mut Option<Element>) {
    match stack.last_mut() {
        Some(parent) => parent.children.push(element),
        None => *root = Some(element),
    }
}

fn push_text(stack: &mut [Element], text: &str) -> Result<(), XmlError> {
    match stack.last_mut() {
        Some(element) => {
            element.text.push_str(text);
            Ok(())
        }
        // Whitespace around the root is allowed; anything else is not XML.
        None if text.trim().is_empty() => Ok(()),
        None => Err(XmlError::Syntax("text outside the root element".into())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn namespaces_resolve_by_uri_not_prefix() {
        let doc = r#"<?xml version="1.0"?><a:Env xmlns:a="urn:x" xmlns="urn:y"><b k="1" a:t="v"/><a:c>t</a:c></a:Env>"#;
        let root = parse(doc).unwrap();
        assert!(root.is("urn:x", "Env"));
        let b = root.child("urn:y", "b").unwrap();
        assert_eq!(b.attribute(None, "k"), Some("1"));
        assert_eq!(b.attribute(Some("urn:x"), "t"), Some("v"));
        assert_eq!(root.child("urn:x", "c").unwrap().text(), "t");
        assert!(root.child("urn:y", "c").is_none());
    }

    #[test]
    fn entities_character_references_and_cdata_become_text() {
        let root = parse("<r>a &amp; b &lt;&#x41;&#66;<![CDATA[<c>]]></r>").unwrap();
        assert_eq!(root.text(), "a & b <AB<c>");
    }

    #[test]
    fn line_breaks_inside_text_are_kept_and_normalised() {
        let root = parse("<r>one\r\ntwo\nthree</r>").unwrap();
        assert_eq!(root.text(), "one\ntwo\nthree");
    }

    #[test]
    fn malformed_documents_are_errors_not_panics() {
        for bad in [
            "",
            "   ",
            "<a>",
            "<a></b>",
            "<a/><b/>",
            "text",
            "<a>&bogus;</a>",
            "<p:a/>",
            "<a x='1' x='2'/>",
            "</a>",
        ] {
            assert!(parse(bad).is_err(), "{bad:?} parsed");
        }
        let deep = "<a>".repeat(MAX_DEPTH + 1) + &"</a>".repeat(MAX_DEPTH + 1);
        assert_eq!(parse(&deep), Err(XmlError::TooDeep));
    }

    #[test]
    fn nil_is_read_from_the_schema_instance_namespace() {
        let root = parse(&format!(
            r#"<r xmlns:i="{XSI}"><x i:nil="true"/><y nil="true"/></r>"#
        ))
        .unwrap();
        assert!(root.children[0].is_nil());
        assert!(!root.children[1].is_nil());
    }
}
