"""Three site templates, as three kinds of CMS write them, so no extractor is tuned to one.

`article`: semantic HTML5 (`<header>`, `<nav>`, `<article>`, `<aside>`, `<footer>`).
`div-soup`: an older CMS theme, nothing but classed `<div>`s around a `story-body`.
`main-sections`: `<main>` cut into `<section>`s, the story one of them.
"""

from collections.abc import Callable
from html import escape

from demo.newsroom import page_parts as part
from demo.newsroom.outlets import PageLayout
from demo.newsroom.page_parts import StoryView


def _headline(view: StoryView) -> tuple[str, str]:
    return escape(view.story.title), escape(view.story.dek)


def _paywall(view: StoryView, css_class: str) -> str:
    return f'<div class="{css_class}">{part.paywall_box()}</div>' if view.paywalled else ""


def _home_link(view: StoryView) -> str:
    return part.link(view.base_url + "/", view.outlet.name)


def article_layout(view: StoryView) -> str:
    title, dek = _headline(view)
    return (
        f'<div id="cookie-banner" class="cookie-banner" role="dialog">{part.cookie_notice()}</div>'
        f'<header class="site-header"><p class="logo">{_home_link(view)}</p>'
        f'<p class="tagline">{escape(view.outlet.tagline)}</p>'
        f'<nav class="main-nav"><ul>{part.menu_items(view)}</ul></nav>'
        f'<div class="account">{part.account_links(view)}</div></header>'
        f'<div class="ad ad-leaderboard">{part.ad_slot()}</div>'
        f'<article class="story"><header><p class="kicker">{escape(view.story.section)}</p>'
        f'<h1>{title}</h1><p class="standfirst">{dek}</p>'
        f'<p class="byline">{part.byline(view)}</p></header>'
        f'<div class="share-bar">{part.share_buttons(view)}</div>'
        f'<div class="story-text">{part.paragraphs(view)}</div>{_paywall(view, "paywall")}'
        "</article>"
        f'<aside class="related-stories">{part.related_list(view)}</aside>'
        f'<aside class="newsletter-signup">{part.newsletter_form()}</aside>'
        f'<section id="comments" class="comments">{part.comment_list(view)}</section>'
        f'<footer class="site-footer">{part.footer_content(view)}</footer>'
    )


def div_soup_layout(view: StoryView) -> str:
    title, dek = _headline(view)
    return (
        '<div id="wrapper"><div class="topbar">'
        f'<div class="brand">{_home_link(view)}'
        f'<div class="slogan">{escape(view.outlet.tagline)}</div></div>'
        f'<div class="menu"><ul>{part.menu_items(view)}</ul></div>'
        f'<div class="user-links">{part.account_links(view)}</div></div>'
        f'<div id="consent-popup" class="gdpr-consent">{part.cookie_notice()}</div>'
        '<div class="container"><div class="row"><div class="col-main">'
        f'<div class="post-header"><div class="category">{escape(view.story.section)}</div>'
        f'<h1 class="post-title">{title}</h1><div class="post-excerpt">{dek}</div>'
        f'<div class="post-meta">{part.byline(view)}</div></div>'
        f'<div class="social-share">{part.share_buttons(view)}</div>'
        f'<div class="story-body">{part.paragraphs(view)}</div>{_paywall(view, "paywall")}'
        f'<div class="ad-slot">{part.ad_slot()}</div>'
        f'<div class="newsletter-box">{part.newsletter_form()}</div>'
        f'<div id="comments" class="comments-area">{part.comment_list(view)}</div>'
        '</div><div class="col-side sidebar">'
        f'<div class="widget related-posts">{part.related_list(view)}</div>'
        "</div></div></div>"
        f'<div class="footer">{part.footer_content(view)}</div></div>'
    )


def main_sections_layout(view: StoryView) -> str:
    title, dek = _headline(view)
    return (
        f'<header role="banner"><p>{_home_link(view)} '
        f"<span>{escape(view.outlet.tagline)}</span></p>"
        f'<nav aria-label="Sections"><ul>{part.menu_items(view)}</ul></nav>'
        f"<p>{part.account_links(view)}</p></header>"
        f'<section class="consent" aria-label="Cookie consent">{part.cookie_notice()}</section>'
        '<main id="main-content">'
        f'<section class="article-header"><h1>{title}</h1><p class="summary">{dek}</p>'
        f'<p class="byline">{part.byline(view)}</p></section>'
        f'<section class="share-tools">{part.share_buttons(view)}</section>'
        f'<section class="article-body">{part.paragraphs(view)}</section>'
        f"{_paywall(view, 'paywall')}"
        f'<section class="promo newsletter">{part.newsletter_form()}</section>'
        f'<section class="advert">{part.ad_slot()}</section>'
        f'<section class="related-content">{part.related_list(view)}</section>'
        f'<section id="comments" class="comments">{part.comment_list(view)}</section>'
        "</main>"
        f'<footer role="contentinfo">{part.footer_content(view)}</footer>'
    )


LAYOUTS: dict[PageLayout, Callable[[StoryView], str]] = {
    "article": article_layout,
    "div-soup": div_soup_layout,
    "main-sections": main_sections_layout,
}
