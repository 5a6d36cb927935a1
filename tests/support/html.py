"""Just enough of an HTML tree (standard library only) for tests to look at tables, figures and links."""

from __future__ import annotations

from html.parser import HTMLParser


class Element:
    def __init__(self, tag: str, attrs: dict[str, str], parent: Element | None) -> None:
        self.tag, self.attrs, self.parent, self.children, self.text = tag, attrs, parent, [], ""

    def iter(self, tag: str | None = None, **attrs: str):
        for child in self.children:
            if (tag is None or child.tag == tag) and all(
                (v in child.attrs.get(k.rstrip("_"), "").split())
                if k == "class_"
                else child.attrs.get(k) == v
                for k, v in attrs.items()
            ):
                yield child
            yield from child.iter(tag, **attrs)

    def find(self, tag: str | None = None, **attrs: str) -> Element:
        found = next(self.iter(tag, **attrs), None)
        assert found is not None, f"no <{tag}> with {attrs}"
        return found

    def all_text(self) -> str:
        return self.text + "".join(c.all_text() for c in self.children)


class Tree(HTMLParser):
    """Just enough of an HTML tree (stdlib only) to look at tables, figures and links."""

    VOID = frozenset({"meta", "link", "input", "br", "img", "hr", "circle"})

    def __init__(self, html: str) -> None:
        super().__init__()
        self.root = self.current = Element("#root", {}, None)
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        element = Element(tag, {k: v or "" for k, v in attrs}, self.current)
        self.current.children.append(element)
        if tag not in self.VOID:
            self.current = element

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Element(tag, {k: v or "" for k, v in attrs}, self.current))

    def handle_endtag(self, tag):
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data):
        self.current.text += data  # order within an element is not kept: tests look for fragments
