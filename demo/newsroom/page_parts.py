"""The pieces of a story page, as HTML: each layout wraps them in its own template's markup."""

from dataclasses import dataclass
from html import escape

from demo.newsroom import page_clutter as clutter
from demo.newsroom.catalogue import Story
from demo.newsroom.feed_common import story_url
from demo.newsroom.outlets import Outlet


@dataclass(frozen=True)
class StoryView:
    """What one story page shows: the story (all of it, or a teaser) and its surroundings."""

    story: Story
    outlet: Outlet
    base_url: str
    paragraphs: tuple[str, ...]
    related: tuple[Story, ...]
    comments: tuple[clutter.ReaderComment, ...]
    paywalled: bool

    @property
    def url(self) -> str:
        return story_url(self.base_url, self.story.slug)


def link(href: str, text: str, css_class: str = "") -> str:
    class_attribute = f' class="{css_class}"' if css_class else ""
    return f'<a href="{escape(href)}"{class_attribute}>{escape(text)}</a>'


def menu_items(view: StoryView) -> str:
    home = view.base_url + "/"
    return "".join(f"<li>{link(home, item)}</li>" for item in clutter.MENU)


def account_links(view: StoryView) -> str:
    return " ".join(link(view.base_url + "/", item) for item in clutter.ACCOUNT_LINKS)


def cookie_notice() -> str:
    text = "".join(f"<p>{escape(line)}</p>" for line in clutter.COOKIE_BANNER)
    buttons = "".join(
        f'<button type="button">{escape(label)}</button>' for label in clutter.COOKIE_BUTTONS
    )
    return text + f"<div>{buttons}</div>"


def share_buttons(view: StoryView) -> str:
    buttons = "".join(
        f"<li>{link(view.url + '#share', label)}</li>" for label in clutter.SHARE_LABELS
    )
    return f"<span>{escape(clutter.SHARE_HEADING)}</span><ul>{buttons}</ul>"


def related_list(view: StoryView) -> str:
    items = "".join(
        f"<li>{link(story_url(view.base_url, other.slug), other.title)}</li>"
        for other in view.related
    )
    return f"<h2>{escape(clutter.RELATED_HEADING)}</h2><ul>{items}</ul>"


def newsletter_form() -> str:
    heading, pitch, placeholder, button, small_print = clutter.NEWSLETTER
    return (
        f"<h3>{escape(heading)}</h3><p>{escape(pitch)}</p>"
        f'<form action="#newsletter" method="post"><label>{escape(placeholder)}'
        f'<input type="email" name="email"></label><button>{escape(button)}</button></form>'
        f"<p><small>{escape(small_print)}</small></p>"
    )


def ad_slot() -> str:
    return f'<span class="ad-label">{escape(clutter.AD_LABEL)}</span><div class="ad-frame"></div>'


def comment_list(view: StoryView) -> str:
    actions = " ".join(
        f'<button type="button">{escape(action)}</button>' for action in clutter.COMMENT_ACTIONS
    )
    items = "".join(
        f'<li class="comment"><p class="comment-author">{escape(comment.author)}</p>'
        f'<p class="comment-text">{escape(comment.text)}</p><div>{actions}</div></li>'
        for comment in view.comments
    )
    return f"<h2>{escape(clutter.COMMENTS_HEADING)}</h2><ol>{items}</ol>"


def footer_content(view: StoryView) -> str:
    links = " | ".join(link(view.base_url + "/", item) for item in clutter.FOOTER_LINKS)
    return f"<p>{links}</p><p>{escape(clutter.footer_notice(view.outlet))}</p>"


def paywall_box() -> str:
    heading, offer, small_print, button, sign_in = clutter.PAYWALL_BOX
    return (
        f"<h2>{escape(heading)}</h2><p>{escape(offer)}</p><p>{escape(small_print)}</p>"
        f'<a class="button" href="#subscribe">{escape(button)}</a>'
        f'<p><a href="#sign-in">{escape(sign_in)}</a></p>'
    )


def byline(view: StoryView) -> str:
    published = view.story.published
    return (
        f'By <span class="author">{escape(view.story.author)}</span> '
        f'<time datetime="{published.isoformat()}">'
        f"{published.strftime('%d %B %Y, %H:%M UTC')}</time>"
    )


def paragraphs(view: StoryView) -> str:
    return "".join(f"<p>{escape(paragraph)}</p>" for paragraph in view.paragraphs)
