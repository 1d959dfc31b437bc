"""The failure classes seen on pages from sites nobody tuned the text rules on
(issue 14 §2), each on a page written for the test: what a scrape or a
select-all copy of such a page gives, site furniture included."""

from __future__ import annotations

import html

import pytest

from reader.importing.text import extract_text, paragraph_fingerprint
from reader.importing.types import CHROME

NAV = "Home\nNews\nSport\nCulture\nSearch\n"
FOOTER = (
    "About us\nContact us\nPrivacy policy\n"
    "© 2026 Riverside Gazette. All rights reserved. Reproduction without permission is prohibited.\n"
)
PROSE = [
    "The festival opened on Friday evening with a concert on the old quay, where several "
    "hundred people gathered despite the cold wind coming off the river.",
    "Organisers said ticket sales had doubled since last year, and that most visitors had "
    "travelled from towns further up the valley to attend the weekend.",
    "Local traders welcomed the crowds, although some complained that the new parking "
    "rules made deliveries to the market square harder than before.",
    "The council has promised to review the arrangements before next summer, when the "
    "festival is expected to grow again with a second stage by the bridge.",
]


def _kept(result) -> list[str]:
    return [html.unescape(s.html) for s in result.segments if s.kept]


def _rule_of(result, text: str) -> str:
    for s in result.segments:
        if html.unescape(s.html) == text:
            return s.rule
    raise AssertionError(f"no segment {text!r}")


def test_lines_that_repeat_inside_the_article_stay_in_it():
    chorus = [
        "Row the boat across the water, row it home before the night",
        "Keep the lantern burning brightly, keep the harbour in your sight",
    ]
    verse = [
        "The first verse tells of a fisherman who leaves at dawn and promises his family "
        "that he will be back before the tide turns in the afternoon.",
        "In the second verse the weather changes quickly, and the singer describes the "
        "waves rising over the side of the small wooden boat.",
        "The last verse is quieter: the storm passes, the village waits on the shore, and "
        "the lantern in the window is the first thing the fisherman sees.",
    ]
    lines = [verse[0], *chorus, verse[1], *chorus, verse[2], *chorus]
    page = (
        NAV
        + "The song every child on the coast learns by heart\n"
        + "By Maren Holt\n"
        + "\n".join(lines)
        + "\n"
        + FOOTER
    )
    result = extract_text(page)
    kept = _kept(result)
    for line in chorus:
        assert kept.count(line) == 3
    for line in verse:
        assert line in kept
    assert not any("All rights reserved" in k for k in kept)


def test_a_whole_copy_of_the_article_is_dropped_once_and_for_all():
    """Two hidden microdata copies (articleBody, with the headline, an image URL
    and the publisher's name) after the visible text: the body comes once."""
    copy = [
        "Riverside festival draws record crowds",
        "https://img.riverside-gazette.example/2026/festival-quay.jpg",
        "Riverside Gazette",
        *PROSE,
    ]
    page = (
        NAV
        + "Riverside festival draws record crowds\n"
        + "By Tomas Vale\n"
        + "\n".join(PROSE)
        + "\n"
        + "\n".join(copy)
        + "\n"
        + "\n".join(copy)
        + "\n"
        + FOOTER
    )
    result = extract_text(page)
    kept = _kept(result)
    for paragraph in PROSE:
        assert kept.count(paragraph) == 1
    assert not any(k.startswith("https://") for k in kept)
    assert "Riverside Gazette" not in kept
    assert result.title == "Riverside festival draws record crowds"


def test_a_calendar_of_short_lines_is_the_body_while_teasers_and_tags_go():
    calendar = [
        "Round 1: 9 March – Harbour Circuit",
        "Round 2: 23 March – Valley Ring",
        "Round 3: 12 May – Interlagos",
        "Round 4: 2 June – Lakeside Park",
        "Round 5: 30 June – Northfield",
        "Round 6: 21 July – Old Airfield",
        "Round 7: 18 August – Coast Road",
        "Round 8: 6 October – Riverside Finale",
    ]
    teasers = [
        "Young Driver Signs With Works Team For Next Season",
        "Rain Forces Organisers To Rethink Safety Car Rules",
        "Veteran Mechanic Looks Back On Forty Years In The Pits",
    ]
    page = (
        NAV
        + "Regional racing series announces its calendar\n"
        + "By Ines Marr\n"
        + "The regional racing series has published its calendar for the coming season, "
        "with eight rounds and two new circuits added after a vote among the teams.\n"
        + "\n".join(calendar)
        + "\nThe organisers said the dates could still move if a circuit fails its safety "
        "inspection, which all venues must pass by the end of February.\n"
        + "Tags: motorsport, calendar, regional racing\n"
        + "Most read\n"
        + "\n".join(teasers)
        + "\n"
        + FOOTER
    )
    result = extract_text(page)
    _assert_kept_and_gone(result, kept=calendar, gone=teasers)
    assert not any(k.startswith("Tags:") for k in _kept(result))


def _assert_kept_and_gone(result, *, kept: list[str], gone: list[str]) -> None:
    """Every line of kept is in the article (else: the rule that took it), no line of gone is."""
    article = _kept(result)
    for line in kept:
        assert line in article, _rule_of(result, line)
    for line in gone:
        assert line not in article


def test_questions_and_answers_in_short_lines_are_the_body():
    qa = [
        "Q: When does the ferry start running again?",
        "A: From the first of April.",
        "Q: Do tickets cost more this year?",
        "A: Only on weekends.",
        "Q: Can bicycles still go on board?",
        "A: Yes, up to ten per crossing.",
    ]
    page = (
        NAV
        + "Ferry service returns in spring\n"
        + "The island ferry, suspended since the storm in November, will return this spring "
        "after repairs to the pier at the northern harbour were finished ahead of schedule.\n"
        + "\n".join(qa)
        + "\nThe operator said a full timetable would be published on its website next week, "
        "together with the prices for season tickets and group bookings.\n" + FOOTER
    )
    kept = _kept(extract_text(page))
    for line in qa:
        assert line in kept


def test_a_list_of_related_headlines_in_a_pasted_page_is_not_the_article():
    related = [
        "Council Approves New Budget For Riverside Parks",
        "Bakery On Mill Street Wins National Bread Award",
        "Storm Expected To Reach The Coast By The Weekend",
        "New Bus Route Links The Station With The Hospital",
    ]
    page = (
        "Skip to main content\n"
        + NAV
        + "Riverside festival draws record crowds\n"
        + "By Tomas Vale\n"
        + "\n".join(PROSE)
        + "\n"
        + "\n".join(related)
        + "\nThe bridge repairs will close the eastern footpath for three weeks from Monday, "
        "the council said in a statement on Thursday evening.\n" + FOOTER
    )
    result = extract_text(page)
    kept = _kept(result)
    for paragraph in PROSE:
        assert paragraph in kept
    for line in related:
        assert line not in kept
        assert (
            result.segments[[html.unescape(s.html) for s in result.segments].index(line)].role
            == CHROME
        )


def test_a_sayings_page_keeps_the_saying_not_the_related_ones():
    page = (
        NAV
        + "Sayings about patience\n"
        + "“A river cuts through rock not because of its power, but because of its persistence.”\n"
        + "— attributed to many authors\n"
        + "Share this saying\n"
        + "Related sayings\n"
        + "“Slow and steady wins the race, though nobody remembers who came second.”\n"
        + "“The tree that bends in the wind is the one still standing after the storm.”\n"
        + "“Every long journey across the mountains begins with a single careful step.”\n"
        + "“Patience is bitter, but the fruit it bears at the end of the season is sweet.”\n"
        + "“Water dripping day after day will wear away even the hardest of stones.”\n"
        + FOOTER
    )
    kept = _kept(extract_text(page))
    assert any("persistence" in k for k in kept)
    assert not any("Slow and steady" in k or "hardest of stones" in k for k in kept)


def test_page_controls_in_a_pasted_page_are_never_the_title():
    page = (
        "Skip to main content\n"
        + "Riverside Gazette\n"
        + NAV
        + "Increase article font size\n"
        + "Decrease article font size\n"
        + "Listen to this article\n"
        + "Local\n"
        + "Riverside festival draws record crowds as new stage opens\n"
        + "By Tomas Vale\n"
        + "Published 3 May 2026\n"
        + "\n".join(PROSE)
        + "\n"
        + FOOTER
    )
    result = extract_text(page, source_url="https://riverside-gazette.example/local/festival")
    assert result.title == "Riverside festival draws record crowds as new stage opens"
    assert _rule_of(result, "Increase article font size") != ""
    assert "Increase article font size" not in _kept(result)


def test_the_title_is_the_line_that_repeats_the_page_title_near_the_top():
    page = (
        "Riverside festival draws record crowds | Riverside Gazette\n"
        + "Riverside Gazette\n"
        + NAV
        + "Print this article\n"
        + "Riverside festival draws record crowds\n"
        + "The stage by the bridge opens next summer\n"
        + "\n".join(PROSE)
        + "\n"
        + FOOTER
    )
    result = extract_text(page)
    assert result.title == "Riverside festival draws record crowds"


def test_a_site_name_or_a_one_word_line_is_not_the_title():
    page = (
        "Riverside Gazette\n"
        + "Menu\n"
        + "Festival\n"
        + "Record crowds on the old quay for the opening night of the festival\n"
        + "\n".join(PROSE)
        + "\n"
        + FOOTER
    )
    result = extract_text(page, source_url="https://www.riversidegazette.example/festival")
    assert result.title == "Record crowds on the old quay for the opening night of the festival"


def test_entries_that_say_the_same_words_are_a_table_not_headlines():
    """A list in the article, each entry naming another choir but saying the same
    words around it, is a table of results, not a list of headlines; the teasers
    below the article, which share only a label, still go."""
    entries = [
        "Harbour Singers (Heat A): Fourth Final",
        "Valley Voices (Heat A): Second Final",
        "Northfield Chorale (Heat B): First Final",
        "Old Town Glee (Heat B): Ninth Final",
        "Riverside Choir (Heat C): Sixth Final",
    ]
    teasers = [
        "How Choirs Pick Their Songs For The Regional Heats | Opinion Column",
        "Why Small Towns Keep Their Brass Bands Going Strong | Opinion Column",
        "What The Judges Listen For When A Choir Walks On Stage | Opinion Column",
    ]
    page = _page(
        "Five choirs through to the national final",
        "By Ines Marr",
        *PROSE[:3],
        "Qualified choirs",
        *entries,
        PROSE[3],
        "Most read",
        *teasers,
    )
    _assert_kept_and_gone(extract_text(page), kept=entries, gone=teasers)


def test_a_tables_repeated_header_and_its_short_rows_stay_in_the_article():
    """A survey's results: each question's small table repeats the same header row,
    and its rows are two or three words long ("Yes 120 60%")."""
    header = "Answer Votes Share of votes"
    tables = [
        ["Yes 212 64%", "No 97 29%", "Not sure 23 7%"],
        ["Yes 141 43%", "No 160 48%", "Not sure 31 9%"],
        ["Yes 270 81%", "No 41 12%", "Not sure 21 6%"],
    ]
    questions = [
        "Should the council keep the market square closed to cars on Saturdays, as it has "
        "done during the trial since the spring?",
        "Should the new bus route through the old town run on Sundays as well, even if "
        "that means fewer buses on weekday evenings?",
        "Should the festival return to the old quay next summer, with a second stage by "
        "the bridge as the organisers have proposed?",
    ]
    lines = [
        "More than three hundred readers answered our survey about the town centre this "
        "month, and the results were sent to the council before its meeting on Thursday."
    ]
    for question, rows in zip(questions, tables, strict=True):
        lines += [question, header, *rows]
    lines.append(
        "The council said it would read the results alongside its own consultation, which "
        "closes at the end of the month and is open to everyone who lives in the district."
    )
    page = (
        NAV
        + "Readers want a car-free market square, our survey finds\n"
        + "By Lena Ostrova\n"
        + "\n".join(lines)
        + "\n"
        + FOOTER
    )
    kept = _kept(extract_text(page))
    assert kept.count(header) == 3
    for rows in tables:
        for row in rows:
            assert row in kept


def test_a_list_of_short_lowercase_items_after_its_colon_line_is_the_body():
    """A recipe's ingredients, each a few words on its own line, closing the article."""
    ingredients = [
        "2 cups red lentils, rinsed",
        "1 onion, finely chopped",
        "3 cloves of garlic",
        "a thumb of fresh ginger, grated",
        "1 tsp ground cumin",
        "salt and black pepper",
        "juice of half a lemon",
    ]
    page = (
        NAV
        + "A lentil soup for the first cold week of the year\n"
        + "By Ada Brennan\n"
        + "When the wind turns and the evenings draw in, this is the soup I make first: it "
        "takes half an hour, costs very little and keeps for days in the fridge.\n"
        + "Red lentils fall apart as they cook, so there is no need for a blender; a whisk "
        "at the end is enough to make it smooth, and the lemon keeps it from tasting flat.\n"
        + "You will need, for four bowls:\n"
        + "\n".join(ingredients)
        + "\nPin it\n"
        + "Labels: Soups, Winter, Vegetarian\n"
        + "Related Recipes\n"
        + "Roasted Squash With Brown Butter And Sage\n"
        + "Quick Flatbreads For A Weeknight Supper\n"
        + FOOTER
    )
    kept = _kept(extract_text(page))
    for item in ingredients:
        assert item in kept
    assert "Pin it" not in kept
    assert not any(k.startswith("Labels:") or k.startswith("Roasted Squash") for k in kept)


def test_headlines_in_sentence_case_under_a_related_heading_are_not_the_article():
    """Below the article, "Related stories" and other stories' headlines written as
    sentences (some ending in a question mark), then their cards with a summary each."""
    related = [
        "Why the ferry timetable changes every spring",
        "Is the new harbour wall high enough for winter storms?",
        "How the old quay became the town's favourite venue",
        "What the bridge repairs mean for cyclists this month",
    ]
    cards = []
    for headline in related:
        cards += [
            headline,
            "Reviewed by the Riverside Gazette desk",
            "A short summary of the story that sits below its headline on the card, written "
            "to make a reader click through to the whole piece.",
            "READ MORE",
        ]
    page = (
        NAV
        + "Riverside festival draws record crowds\n"
        + "By Tomas Vale\n"
        + "\n".join(PROSE)
        + "\nRelated stories\n"
        + "\n".join(related)
        + "\n"
        + "\n".join(cards)
        + "\n"
        + FOOTER
    )
    kept = _kept(extract_text(page))
    for paragraph in PROSE:
        assert paragraph in kept
    for line in related:
        assert line not in kept
    assert not any(k.startswith("A short summary") for k in kept)


def test_a_comment_thread_longer_than_the_article_does_not_replace_it():
    """A short blog post with a long thread of readers' comments below it, most of them
    replies whose header no rule knows ("Priya Reply:", "[ Reply ]"): the thread holds
    more prose than the post, but the post above the comments heading is the article."""
    post = [
        "We finally finished the allotment shed this weekend, three months after we first "
        "laid the slabs, and I am more proud of it than of anything I have built before.",
        "The roof is the part that nearly beat us: the felt tore twice in the wind before "
        "my neighbour showed us how to fix it down with battens along every edge.",
        "Next year the plan is to add a gutter and a water butt, so that the beans at the "
        "far end of the plot can be watered without carrying cans from the tap.",
    ]
    builds = [
        "a kit",
        "old pallets",
        "a neighbour's greenhouse frame",
        "reclaimed doors",
        "scaffold boards",
        "a garage roof",
        "fence panels",
        "a school's bike shelter",
    ]
    wishes = [
        "a skylight",
        "a porch",
        "a bench",
        "a rain gauge",
        "a tool rack",
        "a potting table",
        "a solar lamp",
        "a bird box",
    ]
    names = ["Marta", "Jonas", "Priya", "Tom", "Elif", "Sven", "Noor", "Callum"]
    thread = []
    for k, name in enumerate(names):
        thread += [
            f"{name} says:" if k < 2 else f"{name} Reply:",
            f"{k + 3} June 2026 at 9:{10 + k} am",
            f"What a lovely shed, well done to you both. We built ours from {builds[k]} "
            f"{k + 2} years ago and the roof went the same way in the first storm, so I "
            "will try your neighbour's trick with the battens this autumn.",
            f"Have you thought about {wishes[k]}? Ours has been on the list for {k + 1} "
            "seasons now, and every spring something on the plot seems more urgent.",
            "[ Reply ]",
        ]
    page = (
        NAV
        + "The shed is finished\n"
        + "Posted on 2 June 2026 by Hanna\n"
        + "\n".join(post)
        + "\n8 Comments\n"
        + "\n".join(thread)
        + "\nLeave a Reply\n"
        + FOOTER
    )
    kept = _kept(extract_text(page))
    for paragraph in post:
        assert paragraph in kept
    assert not any("What a lovely shed" in k for k in kept)


def test_a_comments_button_above_the_article_does_not_make_the_article_a_comment():
    """A "Comment" button under the headline, the article, then the real thread of
    comments: the thread starts at the comments heading below the article."""
    comments = [
        "Ruth says:",
        "What a good idea to keep the quay open late, the town needs more of this.",
        "Reply",
        "Alvar says:",
        "I went on Saturday and the queue for the food stalls was far too long for a cold night.",
        "Reply",
    ]
    page = (
        NAV
        + "Riverside festival draws record crowds\n"
        + "By Tomas Vale\n"
        + "Comment\n"
        + "Share\n"
        + "\n".join(PROSE)
        + "\n2 comments\n"
        + "\n".join(comments)
        + "\n"
        + FOOTER
    )
    result = extract_text(page)
    kept = _kept(result)
    for paragraph in PROSE:
        assert paragraph in kept, _rule_of(result, paragraph)
    assert not any("queue for the food stalls" in k for k in kept)


def test_comments_without_a_heading_do_not_replace_a_short_article():
    """A short post whose comments follow with no "Comments" heading, only each
    commenter's "… says:" line: the post is the article, not the longer comments."""
    post = PROSE[:3]
    comments = []
    said = {
        "Ruth": "I was there on the Friday too and the concert on the quay was the best the "
        "festival has had in years, even with the wind blowing the music about.",
        "Alvar": "The parking rules really are a problem for the market traders, and the "
        "council should have asked them before the festival rather than after it.",
        "Mina": "A second stage by the bridge would be wonderful, as long as the footpath "
        "stays open for people walking home from the station late in the evening.",
    }
    for name, text in said.items():
        comments += [f"{name} says:", "3 May 2026 at 10:02 pm", text, "Reply"]
    page = (
        NAV
        + "Riverside festival draws record crowds\n"
        + "By Tomas Vale\n"
        + "\n".join(post)
        + "\n"
        + "\n".join(comments)
        + "\n"
        + FOOTER
    )
    kept = _kept(extract_text(page))
    for paragraph in post:
        assert paragraph in kept
    assert not any("footpath stays open" in k or "best the festival" in k for k in kept)


def test_two_lists_in_the_middle_of_an_article_that_share_an_item_stay_whole():
    """A recipe: introduction, two ingredient lists (the second says one item again),
    then the method. The lists belong to the article, the repeated item is no duplicate,
    and no item is taken for the headline."""
    dough = [
        "250 g plain flour, sifted",
        "100 g cold butter",
        "a pinch of fine salt",
        "2 tbsp caster sugar",
    ]
    crumble = ["100 g rolled oats", "75 g cold butter", "a pinch of fine salt"]
    method = [
        "Rub the butter into the flour for the dough until it looks like sand, then add "
        "the egg and bring it together with your hands.",
        "Press it into a tin, cover it with halved plums, scatter the crumble over and "
        "bake for forty minutes until golden.",
    ]
    page = (
        NAV
        + "Plum cake for a wet Sunday\n"
        + "By Ada Brennan\n"
        + "My grandmother made this cake every September when the plums on the wall by "
        "the shed were ripe, and it has never once failed me.\n"
        + "You will need, for the dough:\n"
        + "\n".join(dough)
        + "\nFor the crumble on top:\n"
        + "\n".join(crumble)
        + "\n"
        + "\n".join(method)
        + "\n"
        + FOOTER
    )
    result = extract_text(page)
    kept = _kept(result)
    assert result.title == "Plum cake for a wet Sunday"
    for line in dough + crumble + method:
        assert line in kept, _rule_of(result, line)
    assert kept.count("a pinch of fine salt") == 2


def test_a_sites_own_subheading_between_paragraphs_stays_in_the_article():
    """A site that puts "What we know" in every explainer prints that line on many of
    its pages: it is recurring, but between two paragraphs it is the article's heading."""
    heading = "What we know so far"
    page = (
        NAV
        + "Why the ferry timetable changed overnight\n"
        + "By Ilse Varga\n"
        + "\n".join([PROSE[0], PROSE[1], heading, PROSE[2], PROSE[3]])
        + "\nShare this story\n"
        + FOOTER
    )
    seen = {paragraph_fingerprint(heading), paragraph_fingerprint("Share this story")}
    result = extract_text(page, recurring=lambda text: paragraph_fingerprint(text) in seen)
    assert heading in _kept(result)
    assert _rule_of(result, heading) == "subheading"
    assert _rule_of(result, "Share this story") != "subheading"
    assert PROSE[2] in _kept(result) and PROSE[3] in _kept(result)


def test_tour_dates_after_their_colon_line_stay_although_their_shapes_vary():
    """Dates whose places take one comma or three, a month written "Sept." or "June",
    are rows of one list; the line ending in a colon above them opens it."""
    dates = [
        "June 4 -- Corn Exchange, Ashford, KT",
        "June 11 -- The Old Mill (formerly the Granary), Bexley, KT",
        "June 18 -- Riverside Hall, Dover, KT",
        "Sept. 2 -- Harbour Arena, Deal, KT",
        "Sept. 9 -- St Mary's Church Hall, Upper Street, Faversham, KT",
        "Oct. 1 -- Marine Pavilion, Folkestone, KT",
    ]
    page = (
        NAV
        + "Valley choir announces its first tour in ten years\n"
        + "By Ilse Varga\n"
        + "\n".join([PROSE[0], PROSE[1], PROSE[3]])
        + "\nThe choir's summer and autumn dates:\n"
        + "\n".join(dates)
        + "\n"
        + FOOTER
    )
    kept = _kept(extract_text(page))
    assert all(line in kept for line in dates)
    assert "The choir's summer and autumn dates:" in kept
    assert "Privacy policy" not in kept


def test_tour_dates_under_month_headings_stay_in_the_article():
    """A calendar broken by one-word month headings, announced by a sentence that
    ends in a full stop, is still one list of the article."""
    calendar = [
        "SEPTEMBER",
        "29 Ashford, Corn Exchange (KT)",
        "30 Bexley, The Old Mill (KT)",
        "OCTOBER",
        "01 Dover, Riverside Hall (KT)",
        "02 Deal, Harbour Arena (KT)",
        "04 Faversham, St Mary's Church Hall (KT)",
        "05 Folkestone, Marine Pavilion (KT)",
    ]
    page = _page(
        "Valley choir announces its first tour in ten years",
        "By Ilse Varga",
        *PROSE[:2],
        "The dates are as follows.",
        *calendar,
        "Tickets for the autumn dates go on sale at the tourist office next Monday.",
    )
    kept = _kept(extract_text(page))
    assert all(line in kept for line in calendar)
    assert "Privacy policy" not in kept


def test_a_feed_of_tweets_beside_a_short_article_is_not_the_article():
    """A sidebar of the site's tweets outweighs a short article: its lines
    open on a handle or end on a short link, and the handles between them go too."""
    feed = [
        "@harbourmaster the east slipway is open again from Monday, and the night ferry will "
        "run to the old timetable until the end of the month, we are told.",
        "Our reporter spent the night on the ferry crossing with the crew, the cooks and a "
        "lorry driver who has made the trip every week for thirty years http://t.co/Ef34Gh",
        "gazette_desk",
        "@millie_rowe thanks, we have passed your note about the bus shelter on the hill road "
        "to the letters editor, who will reply to you this week.",
        "RT @valleychoir: tickets for the autumn concerts in the church halls along the coast "
        "are on sale from today, with a discount for students and for families.",
        "@tomaswrites not this week, I'm afraid: the printing press is being repaired and the "
        "weekend edition will be smaller than usual, back to normal on Friday.",
        "Council budget: what changes for bin collections, parking permits and the swimming "
        "pool's opening hours after the vote on Tuesday night http://t.co/Ij56Kl",
    ]
    page = (
        NAV
        + "Festival draws record crowds\n"
        + "By Ilse Varga\n"
        + PROSE[0]
        + "\nLatest tweets\n"
        + "\n".join(feed)
        + "\n"
        + FOOTER
    )
    kept = _kept(extract_text(page))
    assert PROSE[0] in kept
    assert not any(line in kept for line in feed)


def test_a_comments_link_in_the_header_does_not_cut_the_article_off():
    """A blog's header carries a welcome note and a "Comments" link, with the headline
    right below it; no comment follows the link, and the article is not cut off at it."""
    welcome = (
        "Welcome to the Riverside Gazette blog! If you are new here, you can read about the "
        "people who write it, browse the archive of older posts going back to the first winter "
        "floods, or sign up for the weekly letter we send every Sunday morning to our readers."
    )
    more = [
        "The operator blamed a shortage of engineers for the change, saying two of its four "
        "boats had been out of service for most of the autumn while parts were ordered.",
        "Commuters who cross every morning said they had learned of the new times only when "
        "they arrived at the quay and found the first sailing had already left without them.",
        "A spokesman apologised for the short notice and said passengers with season tickets "
        "could claim back the cost of a taxi on days when the early boat did not run at all.",
        "The harbour board will meet the operator next week, and the mayor has asked both of "
        "them to publish a timetable that holds until the spring, when the new boat arrives.",
    ]
    page = (
        "Why the ferry timetable changed overnight | Riverside Gazette\n"
        + NAV
        + welcome
        + "\nComments\n"
        + "Why the ferry timetable changed overnight\n"
        + "Written by Ilse Varga\n"
        + "\n".join(PROSE + more)
        + "\n"
        + FOOTER
    )
    kept = _kept(extract_text(page))
    assert all(p in kept for p in PROSE + more)


def test_names_announced_by_the_articles_last_line_stay_but_not_its_tags():
    """After "The new stops are:" come names (places, tracks, screenings), capitalised
    and short like a menu; after "Filed under:" come the page's tags, after "There
    are 4 comments about:" the commenters."""
    stops = ["Ashford Quay", "Upper Dean, Kent", "St Ives Harbour", "Marlow Bridge"]
    page = (
        NAV
        + "The ferry adds four stops next summer\n"
        + "By Ilse Varga\n"
        + "\n".join(PROSE)
        + "\nThe new stops on the route are:\n"
        + "\n".join(stops)
        + "\n"
        + FOOTER
    )
    kept = _kept(extract_text(page))
    assert all(stop in kept for stop in stops)
    tags = ["Ferries", "Transport", "Kent News", "Summer"]
    page = (
        NAV
        + "The ferry adds four stops next summer\n"
        + "By Ilse Varga\n"
        + "\n".join(PROSE)
        + "\nFiled under:\n"
        + "\n".join(tags)
        + "\n"
        + FOOTER
    )
    kept = _kept(extract_text(page))
    assert not any(tag in kept for tag in tags)
    names = ["Harbourwatcher", "Ferry Fan", "Old Sailor", "Kent Commuter"]
    page = page.replace(
        "Filed under:\n" + "\n".join(tags), "There are 4 comments about:\n" + "\n".join(names)
    )
    kept = _kept(extract_text(page))
    assert not any(name in kept for name in names)


def test_numbered_points_listed_above_the_article_as_its_contents_stay_in_it():
    """A post lists its numbered points first, then takes them one by one: each
    heading is said twice, and the second time it heads its own section."""
    points = [
        "1. Where Does The Ferry Stop Now?",
        "2. What Does A Season Ticket Cost?",
        "3. When Will The New Boat Arrive?",
    ]
    sections = []
    for point, prose in zip(points, PROSE[1:], strict=True):
        sections += [point, prose]
    page = (
        NAV
        + "Three questions readers ask about the ferry\n"
        + "By Ilse Varga\n"
        + PROSE[0]
        + "\n"
        + "\n".join(points)
        + "\n"
        + "\n".join(sections)
        + "\n"
        + FOOTER
    )
    result = extract_text(page)
    body = [html.unescape(s.html) for s in result.segments if s.kept]
    assert all(body.count(point) == 2 for point in points)


COMMENTERS = ["Tomasz", "Ana Lucia", "jrk_1987", "Helen W.", "Sam"]
REPLIES = [
    "I went last year and the concert on the quay was the best part of the whole weekend, "
    "even with the wind.",
    "The parking rules really are a problem for the stalls, and nobody asked the traders "
    "before they were changed.",
    "A second stage by the bridge sounds like a good idea as long as the buses run later "
    "in the evening.",
    "We travelled two hours to get there and it was worth every minute of the drive, "
    "thank you to the organisers.",
    "Please bring back the lantern parade that used to close the festival on the Sunday "
    "night, the children loved it.",
]


def _page(*lines: str, footer: bool = True) -> str:
    """A page of the site: its menu, the lines given, one to a line, and its footer."""
    return NAV + "\n".join(lines) + ("\n" + FOOTER if footer else "")


def _thread(stamp) -> list[str]:
    lines = []
    for k, (name, reply) in enumerate(zip(COMMENTERS, REPLIES, strict=True)):
        lines += [stamp(name, 10 + k), reply, "Reply"]
    return lines


def test_a_thread_of_stamped_comments_is_not_the_article():
    """Readers' comments, each under a stamp with the commenter's name and the time,
    outweigh a short post and have no comments heading: the post is the article."""
    post = PROSE[:2]
    page = _page(
        "Festival opens on the quay",
        "Posted by Maren Holt on July 3, 2012",
        *post,
        *_thread(lambda name, hour: f"{name} July {hour}, 2012 at {hour - 6}:15 pm"),
    )
    result = extract_text(page)
    kept = _kept(result)
    assert [k for k in kept if k in PROSE] == post
    assert not any(reply in kept for reply in REPLIES)
    assert _rule_of(result, "Tomasz July 10, 2012 at 4:15 pm") == "comment-header"


def test_stamps_without_a_year_still_mark_the_thread():
    """Slashdot-style stamps ("by X (1234) writes: on Monday July 23, @08:25PM")."""
    page = _page(
        "Festival opens on the quay",
        "Posted by Maren Holt on Monday July 23, @08:24PM",
        *PROSE[:2],
        *_thread(
            lambda name, hour: f"by {name} ({hour}42) writes: on Monday July 23, @{hour}:25PM"
        ),
        footer=False,
    )
    kept = _kept(extract_text(page))
    assert PROSE[0] in kept
    assert not any(reply in kept for reply in REPLIES)


def test_stamps_that_say_how_long_ago_mark_the_thread():
    """ "Miles Taylor 12 days ago" over each comment, and no comments heading."""
    page = _page(
        "Festival opens on the quay",
        "Posted by Maren Holt on July 3, 2012",
        *PROSE[:2],
        *_thread(lambda name, hour: f"{name} {hour} days ago"),
    )
    result = extract_text(page)
    kept = _kept(result)
    assert PROSE[0] in kept
    assert not any(reply in kept for reply in REPLIES)
    assert _rule_of(result, "Tomasz 10 days ago") == "comment-header"


def test_a_date_with_the_comments_permalink_stamps_each_comment():
    """Themes that leave out the time print the date with the comment's own link
    ("July 3, 2012 | Permalink") under the name, the same line for every comment."""
    thread = []
    for name, reply in zip(COMMENTERS, REPLIES, strict=True):
        thread += [name, "July 3, 2012 | Permalink", reply]
    page = _page("Festival opens on the quay", "By Maren Holt", *PROSE[:2], *thread)
    result = extract_text(page)
    kept = _kept(result)
    assert PROSE[0] in kept and PROSE[1] in kept
    assert not any(reply in kept for reply in REPLIES)
    assert _rule_of(result, "July 3, 2012 | Permalink") == "comment-header"


def test_a_dated_list_without_names_is_no_thread():
    """A calendar of dated rows, each with a time, stays in the article: a stamp
    needs a name beside its date and time."""
    rows = [
        f"July {day}, 2012 at {hour}:00 pm" for day, hour in ((3, 4), (10, 5), (17, 6), (24, 7))
    ]
    page = _page(
        "Festival opens on the quay",
        PROSE[0],
        "The concerts on the quay start at these times:",
        *rows,
        *PROSE[1:],
    )
    result = extract_text(page)
    assert all(_rule_of(result, row) != "comment-header" for row in rows)
    assert PROSE[3] in _kept(result)


def test_teaser_cards_closed_by_dates_do_not_outweigh_the_article():
    """A sidebar feed of another site's stories, each a headline run into its date
    over a one-sentence summary, is longer than the article: the article is kept."""
    stories = [
        (
            "Ferry timetable changes for the winter months",
            "The operator will run fewer crossings from November because of lower demand "
            "on weekday mornings.",
        ),
        (
            "Bridge repairs close the eastern footpath",
            "Pedestrians will be sent over the old bridge for three weeks while the railings "
            "are replaced by the council.",
        ),
        (
            "School choir wins regional competition",
            "Forty children from the primary school sang in the final and took first place "
            "with a song about the river.",
        ),
        (
            "New bakery opens on the market square",
            "The owners said they had waited two years for the building to become free "
            "before they could move in.",
        ),
        (
            "Library extends its opening hours",
            "From next month the reading room will stay open until eight in the evening on "
            "every weekday, the library said.",
        ),
    ]
    feed = []
    for k, (headline, summary) in enumerate(stories):
        feed += [f"{headline} August {k + 3}, 2012", summary + " " + summary.lower()]
    page = _page(
        "Festival opens on the quay",
        "August 8, 2012",
        *PROSE,
        "Share this:",
        "Twitter",
        "Facebook",
        "More news from the valley",
        *feed,
    )
    result = extract_text(page)
    kept = _kept(result)
    assert all(p in kept for p in PROSE)
    assert not any(headline in k for k in kept for headline, _ in stories)
    first_head = "Ferry timetable changes for the winter months August 3, 2012"
    assert _rule_of(result, first_head) == "dated-cards"


COMMENT_COUNTS = (
    "{ 5 comments… read them below or add one }",
    "{ 5 comments }",
    "5 Comments - Leave a comment!",
    "One Response to “Festival opens”",
    "5 users responded in “Festival opens”",
)


@pytest.mark.parametrize("heading", COMMENT_COUNTS)
def test_a_comment_count_ends_the_article_before_unstamped_comments(heading):
    """Blog themes head the thread with its count ("{ 5 comments… read them below or
    add one }") and give each comment only the commenter's name: the count ends
    the article."""
    thread = []
    for name, reply in zip(COMMENTERS, REPLIES, strict=True):
        thread += [name, reply]
    result = extract_text(_page("Festival opens on the quay", *PROSE, heading, *thread))
    kept = _kept(result)
    assert all(p in kept for p in PROSE)
    assert not any(reply in kept for reply in REPLIES)
    assert _rule_of(result, heading) == "comments-section"


def _story_over_thread(thread: list[str]) -> str:
    """A one-paragraph story, a pager, then the thread's lines."""
    return _page(
        "Festival opens on the quay",
        "Posted by Maren Holt on Tuesday July 24, @08:04AM",
        PROSE[0] + " " + PROSE[1],
        "Older stories",
        "Newer stories",
        *thread,
    )


def test_a_thread_that_opens_with_a_notice_and_folded_comments():
    """A thread that opens with the site's notice and folded comments ("by X (123)
    writes:", no time) before the first stamped one: the article above is kept,
    even when it is one paragraph, and no comment is."""
    thread = [
        "The following comments are owned by whoever posted them. We are not "
        "responsible for them in any way, and they do not speak for the site.",
    ]
    for k, (name, reply) in enumerate(zip(COMMENTERS, REPLIES, strict=True)):
        stamp = f"by {name} ({k}731) writes:"
        if k >= 2:
            stamp = f"by {name} ({k}731) writes: on Tuesday July 24, @0{k}:12AM (#4074{k})"
        thread += [f"Re: the quay (Score: {k})", stamp, reply]
    kept = _kept(extract_text(_story_over_thread(thread)))
    assert PROSE[0] + " " + PROSE[1] in kept
    assert not any(reply in kept for reply in REPLIES)
    assert not any("owned by whoever posted" in k for k in kept)


def test_a_quoted_writer_is_no_commenter():
    """ "As you may recall, Colon writes:" introduces a quotation inside the article:
    only a line that opens on "by" and a name is a commenter's."""
    intro = "As the festival's director writes:"
    result = extract_text(_page("Festival opens on the quay", *PROSE[:2], intro, *PROSE[2:]))
    assert all(p in _kept(result) for p in PROSE)
    assert _rule_of(result, intro) != "comment-header"


def test_commenters_with_the_sites_number_for_them_mark_the_thread():
    """A select-all copy of a thread shows each folded comment as "by name (number)"
    over its text, with no time: three or more of them are a thread."""
    thread = []
    for k, (name, reply) in enumerate(zip(COMMENTERS, REPLIES, strict=True)):
        thread += [f"Re: the quay (Score: {k})", f"by {name} ({k}5731)", reply]
    kept = _kept(extract_text(_story_over_thread(thread)))
    assert PROSE[0] + " " + PROSE[1] in kept
    assert not any(reply in kept for reply in REPLIES)


def test_a_label_printed_between_every_paragraph_goes():
    """ "Article content" printed between the paragraphs (a news chain's layout) is a
    label of the page: every copy goes and the paragraphs stay; a writer's name
    or a date repeated down a page is no such label."""
    lines = []
    for p in PROSE:
        lines += [p, "Article content"]
    result = extract_text(_page("Festival opens on the quay", *lines))
    kept = _kept(result)
    assert all(p in kept for p in PROSE)
    assert "Article content" not in kept
    assert _rule_of(result, "Article content") == "repeated-label"
    lines = []
    for p in PROSE:
        lines += [p, "Maren Holt"]
    result = extract_text(_page(*lines))
    assert all(s.rule != "repeated-label" for s in result.segments)


def test_a_repeated_menu_word_in_the_header_hides_no_headline():
    """ "News" printed in the menu and again between the standfirst and the byline is
    a repeated label; the header above it still gives the headline and standfirst,
    and a short headline that the page's lists repeat is not taken for a label."""
    headline = "Festival opens on the quay after two years"
    standfirst = "Neighbours said the crowds were larger than anyone in the town had expected"
    page = _page(
        "News",
        "Culture",
        headline,
        standfirst,
        "News",
        "Maren Holt",
        "08:39, 06 Jan 2026",
        *PROSE,
    )
    result = extract_text(page)
    assert result.title == headline
    assert result.subtitle == standfirst
    assert _rule_of(result, "Culture") != "title"

    short = "A Curious Night"
    page = f"Riverside Gazette: {short}\n" + _page(short, "By Maren Holt", *PROSE, short, short)
    result = extract_text(page)
    assert result.title == short
    assert _rule_of(result, short) != "repeated-label"


SIDEBAR_MENU = [
    "Weather",
    "Parking near the square",
    "Lost and found",
    "Town council",
    "Events calendar",
    "Letters to the editor",
    "Classifieds",
    "Schools and colleges",
    "Obituaries",
    "Photo galleries",
    "Our writers",
    "Archive",
]
FORUM_POST = (
    "Has anyone else had trouble finding a place to park near the market square this "
    "month? I drove round for twenty minutes on Saturday before giving up, and the new "
    "signs by the bridge do not say which streets are open to visitors on festival days, "
    "so I ended up walking from the station with two heavy bags in the rain. Next "
    "year I will take the bus, or ask my neighbour to drop me off on her way to work."
)


def _short_post(byline: str, *below: str, page_title: bool = False) -> str:
    """A post of two paragraphs under its headline and byline, with what the page shows
    below it; a scrape's first line is the page title, a select-all copy has none."""
    page = _page(*SIDEBAR_MENU[:6], "Festival opens on the quay", byline, *PROSE[:2], *below)
    return ("Festival opens on the quay - Riverside Gazette\n" if page_title else "") + page


def test_a_short_article_under_its_headline_outweighed_by_a_sidebar_post_stays():
    """The scrape's first line is the page title; the headline says it again above a
    short article, and a reader's post further down the sidebar is longer than it."""
    page = _short_post(
        "Posted by Maren Holt on July 3, 2012",
        *SIDEBAR_MENU,
        "Latest from the forum",
        FORUM_POST,
        page_title=True,
    )
    kept = _kept(extract_text(page))
    assert PROSE[0] in kept and PROSE[1] in kept
    assert not any(item in kept for item in SIDEBAR_MENU)


def test_an_article_broken_by_a_paywall_notice_keeps_both_halves():
    """A site prints its subscription offer after the first paragraphs, and the rest
    of the article after the offer: both halves are the article, the offer is not."""
    offer = [
        "SUBSCRIBE TO UNLOCK MORE ARTICLES",
        "Unlimited digital access to the Riverside Gazette.",
        "Daily puzzles and the electronic edition.",
        "Create an account or sign in to continue with your reading experience.",
        "Email Address",
        "Continue",
        "View more offers",
    ]
    rest = [
        *PROSE[2:],
        "Next year the organisers hope to add a children's stage in the park behind the "
        "library, with puppet shows and music in the afternoons for younger visitors.",
        "Tickets for the second weekend go on sale at the tourist office next Monday, "
        "and the organisers advise buying them early because the quay has limited room.",
    ]
    page = "Festival opens on the quay - Riverside Gazette\n" + _page(
        *SIDEBAR_MENU[:6],
        "Festival opens on the quay",
        *PROSE[:2],
        *offer,
        *rest,
    )
    result = extract_text(page)
    read = [result.subtitle, *_kept(result)]
    assert all(p in read for p in PROSE[:2] + rest)
    assert not any(line in read for line in offer)


def test_a_pasted_short_post_under_its_byline_stays_and_the_sidebar_below_its_tags_goes():
    """A select-all copy has no page title; the headline is the line beside the
    post's byline and date. Below the post's tags and share buttons, a longer reader's
    post in the sidebar is another text."""
    page = _short_post(
        "By Maren Holt on July 3, 2012",
        "Tags: festival, quay, music",
        "Share on Facebook",
        "Share on Twitter",
        *SIDEBAR_MENU[6:],
        "Latest from the forum",
        FORUM_POST,
    )
    kept = _kept(extract_text(page))
    assert PROSE[0] in kept and PROSE[1] in kept
    assert FORUM_POST not in kept


def test_teaser_cards_with_bylines_below_a_short_post_are_not_its_headline():
    """Below a short post, cards of other stories, each a headline beside a byline and
    a date over a long teaser, outweigh it: the post is the article, and the cards'
    headlines (one of a list, each a few lines from the next) are not its headline."""
    cards = []
    teasers = {
        "Bridge repairs start next month": f"{PROSE[2]} {PROSE[3]}",
        "Readers ask where to park": FORUM_POST,
    }
    for k, (headline, teaser) in enumerate(teasers.items()):
        cards += [headline, f"By Ines Varga | June {k + 10}, 2012", teaser]
    page = _short_post(
        "By Maren Holt on July 3, 2012",
        "Tags: festival, quay, music",
        *SIDEBAR_MENU[6:],
        *[f"{month} 2012 archive" for month in ("May", "April", "March", "February")],
        *cards,
    )
    kept = _kept(extract_text(page))
    assert PROSE[0] in kept and PROSE[1] in kept
    assert not any(line in kept for line in cards)


ONE_PARAGRAPH_POST = (
    "The festival opened on Friday evening with a concert on the old quay, where "
    "several hundred people gathered despite the cold wind coming off the river and "
    "the rain that started just before the first band came on."
)


def test_a_one_paragraph_post_under_its_byline_outweighed_by_a_sidebar_post_stays():
    """A post of one paragraph is still the article under its headline and byline."""
    post = ONE_PARAGRAPH_POST
    page = _page(
        *SIDEBAR_MENU[:6],
        "Festival opens on the quay",
        "By Maren Holt on July 3, 2012",
        post,
        "Tags: festival, quay, music",
        *SIDEBAR_MENU[6:],
        "Latest from the forum",
        FORUM_POST,
    )
    kept = _kept(extract_text(page))
    assert post in kept
    assert FORUM_POST not in kept


def test_share_buttons_under_the_standfirst_do_not_end_the_article():
    """Headline, standfirst, byline, a comment count and share buttons, then the text:
    the share buttons belong to the header, the whole article is kept, and the byline
    and date are read."""
    standfirst = (
        "Hundreds gathered on the old quay for the first night of the festival, despite "
        "the cold wind, and the organisers say that this year's crowds were the largest "
        "since the festival began."
    )
    page = _page(
        "Festival opens on the quay",
        standfirst,
        "By Maren Holt | July 3, 2012",
        "12 Comments",
        "Share",
        "Facebook",
        "Twitter",
        "Email",
        "Print",
        *PROSE,
        "Tags: festival, quay, music",
        *SIDEBAR_MENU[6:],
    )
    result = extract_text(page)
    read = [result.subtitle, *_kept(result)]
    assert standfirst in read
    assert all(p in read for p in PROSE)
    assert "Maren Holt" in result.byline
    assert result.published is not None and result.published.date().isoformat() == "2012-07-03"


def test_a_byline_far_under_the_standfirst_is_still_read():
    """A scrape whose headline repeats the page title, over a long standfirst, a photo
    credit, "By", the writer's name, the time, and share buttons: the byline and the
    date are read although the article's start is anchored at the headline."""
    standfirst = (
        "Hundreds gathered on the old quay for the first night of the festival, despite "
        "the cold wind, and the organisers say that this year's crowds were the largest "
        "since the festival began."
    )
    page = "Festival opens on the quay - Riverside Gazette\n" + _page(
        *SIDEBAR_MENU[:6],
        "Festival opens on the quay",
        standfirst,
        "Image: Jane Doe/Example",
        "By",
        "Maren Holt",
        "14:00, 3 Jul 2012",
        "Share",
        "Facebook",
        "Twitter",
        "Email",
        "Print",
        *PROSE,
    )
    result = extract_text(page)
    assert result.byline == "Maren Holt"
    assert result.published is not None and result.published.date().isoformat() == "2012-07-03"
    assert all(p in _kept(result) for p in PROSE)


def test_the_pages_address_finds_the_headline_of_a_pasted_post_without_a_byline():
    """A select-all copy with no page title and no byline: the headline is the line that
    says the words of the address's last part."""
    post = ONE_PARAGRAPH_POST
    page = _page(
        *SIDEBAR_MENU[:6],
        "Festival opens on the quay",
        post,
        "Tags: festival, quay, music",
        *SIDEBAR_MENU[6:],
        "Latest from the forum",
        FORUM_POST,
    )
    kept = _kept(
        extract_text(page, source_url="https://example.org/2012/07/festival-opens-on-the-quay/")
    )
    assert post in kept
    assert FORUM_POST not in kept
    # without the address, the longer forum post outweighs the short post
    assert FORUM_POST in _kept(extract_text(page))


def test_a_short_sentence_that_ends_on_a_date_is_not_a_timestamp():
    """Words that end in "t" ("set", "hit") are not time zones: the closing sentence
    of a review that names the release date stays with the article, and a stand-alone
    "July 3, 2012 at 6:15 PM EST" is still a stamp."""
    closing = "The film is set to hit theaters February 13, 2013."
    page = _page(
        "Festival opens on the quay",
        "By Maren Holt",
        "July 3, 2012 at 6:15 PM EST",
        *PROSE,
        closing,
    )
    result = extract_text(page)
    kept = _kept(result)
    assert kept[-1] == closing
    assert "July 3, 2012 at 6:15 PM EST" not in kept


def test_the_date_line_under_a_headline_does_not_hide_a_short_article():
    """A short post under its headline, standfirst, byline and time stamp, its tags
    below it: the stamp is part of the header, not furniture between two texts, so
    the standfirst and the paragraph under it are the article, not the longer
    reader's post further down the sidebar."""
    standfirst = (
        "The old quay filled with music on Friday night as the festival began its "
        "weekend with a concert by the river."
    )
    paragraph = (
        "Several hundred people stayed until midnight despite the cold wind, and the "
        "organisers said the second night is already sold out."
    )
    page = "Festival opens on the quay - Riverside Gazette\n" + _page(
        *SIDEBAR_MENU[:6],
        "Festival opens on the quay",
        standfirst,
        "By Maren Holt",
        "July 3, 2012 6:15 PM EST",
        paragraph,
        "Tags: festival, quay, music",
        *SIDEBAR_MENU[6:],
        "Latest from the forum",
        FORUM_POST,
    )
    result = extract_text(page)
    kept = _kept(result)
    assert paragraph in kept
    assert FORUM_POST not in kept
    assert result.published is not None and result.published.day == 3


@pytest.mark.parametrize("says", ["{} said...", "{} said…", "{} says:"])
def test_comments_under_a_name_that_says_are_not_the_article(says):
    """A blog's comments, each under "Name said..." with its time printed below,
    outweigh a short post and have no comments heading: the post is the article."""
    thread = []
    for k, (name, reply) in enumerate(zip(COMMENTERS, REPLIES, strict=True)):
        thread += [says.format(name), reply, f"July {10 + k}, 2012 {k + 1}:54 AM"]
    _assert_the_post_not_the_thread(thread)


def _assert_the_post_not_the_thread(thread: list[str]) -> None:
    """A short post, then a thread of REPLIES that outweighs it and has no heading:
    the post is kept and no reply is."""
    post = PROSE[:2]
    page = _page("Festival opens on the quay", "Posted by Maren Holt", *post, *thread)
    kept = _kept(extract_text(page))
    assert [k for k in kept if k in PROSE] == post
    assert not any(reply in kept for reply in REPLIES)


@pytest.mark.parametrize("label", ["(Photos)", "(Video)", "[Pictures]"])
def test_a_teaser_labelled_photos_is_not_a_captioned_photo(label):
    """"(Photos)" after a sidebar headline says what the link holds and names no one who
    took them: the teaser is not a photo's caption, which stays in the article."""
    teaser = f"Which market stall drew the biggest crowd this weekend? {label}"
    page = _page(
        "Festival opens on the quay",
        "By Maren Holt",
        *PROSE,
        "Recent posts",
        "Council to review parking rules before the summer",
        teaser,
        "New bus route links the valley towns to the station",
    )
    result = extract_text(page)
    segment = next(s for s in result.segments if html.unescape(s.html) == teaser)
    assert not segment.kept and segment.rule != "caption-with-credit"
    assert _kept(result) == PROSE


def test_a_photo_posts_one_paragraph_under_the_artists_credit_is_the_post():
    """A post of one paragraph about a picture, ending in the artist's credit: the
    writer speaks in it ("I"), so it is the post, not the picture's caption that a
    longer note in the sidebar would leave out as far from the article."""
    post = (
        "However long I look at it, I still cannot believe this is a pencil drawing "
        "and not a photograph of the harbour. Drawing and photos © Anna Lind"
    )
    page = (
        "Drawn, not photographed - Riverside Sketchbook\n"
        + _page(
            "Drawn, not photographed",
            post,
            "Posted by Maren Holt at 6:35 AM",
            "Labels: pencil, drawing",
            *SIDEBAR_MENU,
            "About the sketchbook",
            "Riverside Sketchbook collects drawings, paintings and prints made by people "
            "who live along the valley, from school pupils to retired engineers, and "
            "shows one of them every weekday with a few words about how it was made, "
            "what it was drawn with and how long it took from the first line to the last.",
        )
    )
    result = extract_text(page)
    segment = next(s for s in result.segments if html.unescape(s.html) == post)
    assert not segment.rule.startswith("caption")
    assert segment.kept or result.subtitle == post
    assert result.title == "Drawn, not photographed"


def test_dividers_between_a_photo_posts_pictures_do_not_end_it():
    """A photo post sets a divider ("-") between its pictures, each with a line
    about it: the dividers go, and the lines after them stay in the post."""
    photos = [
        "Old wooden pillars in the harbour at low tide.",
        "Flower stalls at the Sunday market, before the rain.",
        "The ferry leaving for the island, with the last light behind it.",
        "Fish and chips on the sea wall, and a gull waiting for them.",
        "The lighthouse from the cliff path, just before we turned back.",
    ]
    lines = []
    for photo in photos:
        lines += ["-", photo]
    page = _page(
        "A grey weekend on the coast",
        "By Maren Holt",
        *PROSE[:2],
        *lines,
        "Tweet",
        "Comments (3)",
        *REPLIES,
    )
    result = extract_text(page)
    kept = _kept(result)
    assert kept[:2] == PROSE[:2]
    assert all(photo in kept for photo in photos), [_rule_of(result, p) for p in photos]
    assert "-" not in kept


@pytest.mark.parametrize(
    "links", [["Riverside council website"], ["Festival programme", "Ferry timetable"]]
)
def test_a_related_box_set_into_the_article_does_not_end_it(links):
    """A "Related links" heading over a link or two between two paragraphs is a box
    set into the article: the box goes and the paragraphs after it stay."""
    page = _page(
        "Riverside festival draws record crowds",
        "By Maren Holt",
        *PROSE[:3],
        "Related links",
        *links,
        PROSE[3],
        "Most read",
        "Young Driver Signs With Works Team For Next Season",
        "Rain Forces Organisers To Rethink Safety Car Rules",
    )
    result = extract_text(page)
    assert _kept(result) == PROSE
    assert [_rule_of(result, link) for link in links] == ["related-box"] * len(links)


def test_a_headline_that_says_the_page_title_word_for_word_is_not_a_repeat():
    """The scrape's first line is the page title with no site name after it; the
    headline says it again. That is the headline, not a paragraph printed twice, and
    the short article under it stays, though a reader's post in the sidebar is longer."""
    page = "Festival opens on the quay\n" + _short_post(
        "Posted by Maren Holt on July 3, 2012",
        *SIDEBAR_MENU,
        "Latest from the forum",
        FORUM_POST,
    )
    result = extract_text(page)
    kept = _kept(result)
    assert PROSE[0] in kept and PROSE[1] in kept
    rules = [s.rule for s in result.segments if html.unescape(s.html) == "Festival opens on the quay"]
    assert rules[1:] == ["title-in-page-title"]


@pytest.mark.parametrize("dash", ["— ", ""])
def test_the_signature_of_a_quoted_post_stays_with_the_post(dash):
    """A post the article quotes ends on its writer's name, handle and date, with or
    without a dash before it: the signature is part of the quote, not a time stamp."""
    quote = "The concert on the quay was the best night of the summer, wind and all."
    signature = f"{dash}Ana Lucia (@analucia_sings) July 3, 2012"
    page = _page(
        "Festival opens on the quay",
        "By Maren Holt",
        PROSE[0],
        "Visitors were quick to post about the opening night:",
        quote,
        signature,
        *PROSE[1:],
    )
    kept = _kept(extract_text(page))
    assert quote in kept and signature in kept


def test_comments_under_the_commenters_profile_links_are_not_the_article():
    """Each comment under its writer's profile address and name, no time and no
    comments heading, outweighing a short post: the post is the article."""
    thread = []
    for name, reply in zip(COMMENTERS, REPLIES, strict=True):
        handle = name.casefold().replace(" ", "").replace(".", "")
        thread += [f"http://twitter.com/{handle} {name}", reply]
    _assert_the_post_not_the_thread(thread)


@pytest.mark.parametrize("stamp", ["Today 5:00 am", "Yesterday, 11:30 pm", "Today at 9.15"])
def test_the_reading_time_and_a_stamp_of_today_are_not_the_article(stamp):
    """"6 minute read" and "Today 5:00 am" under the byline of a pasted page are the
    page's labels; a sentence that starts with "Today" is the article's."""
    sentence = "Today the council will decide whether the festival returns next year."
    standfirst = (
        "Beyond the crowds on the quay, some traders argue that the festival barely covers "
        "its costs, and that the new parking rules make the weekend harder for everyone"
    )
    page = _page(
        "Festival opens on the quay",
        standfirst,
        "By Maren Holt",
        stamp,
        "6 minute read",
        "Join the conversation",
        *PROSE,
        sentence,
    )
    result = extract_text(page)
    assert _kept(result) == [*PROSE, sentence]
    # the cleaning report names why each went
    assert _rule_of(result, "6 minute read") == "reading-time"
    assert _rule_of(result, stamp) == "timestamp"


def test_a_byline_with_its_date_is_a_byline_not_a_time_stamp():
    """"by Maren Holt on July 3, 2012" under a photo post's headline names the writer
    and the day: it is read as the byline, and a run of headlines below does not
    take it in."""
    page = _page(
        "Festival opens on the quay",
        "by Maren Holt on July 3, 2012",
        "The lanterns on the quay at midnight, the last night of the festival.",
        "Previous post: Council Reviews The Parking Rules Again",
        "Next post: New Bus Route Links The Valley Towns",
    )
    result = extract_text(page)
    assert result.byline == "Maren Holt"
    assert result.published is not None and (result.published.month, result.published.day) == (7, 3)
    assert _rule_of(result, "by Maren Holt on July 3, 2012") != "timestamp"


def test_the_writers_note_under_the_article_is_not_the_article():
    """"Maren Holt is a freelance writer …" after the last paragraph is the writer's
    note, and it goes with what follows it; a sentence early in the article that says
    who someone is stays."""
    expert = (
        "Ana Lucia Ferreira is a professor of music at the college, and she said the "
        "concert was the best the quay had seen in a decade."
    )
    note = "Maren Holt is a freelance writer based in Riverside. Her book on the valley is out now."
    page = _page(
        "Festival opens on the quay",
        "By Maren Holt",
        PROSE[0],
        expert,
        *PROSE[1:],
        note,
        "Follow her work on the valley's towns and rivers for more stories like this one.",
    )
    result = extract_text(page)
    kept = _kept(result)
    assert kept == [PROSE[0], expert, *PROSE[1:]]
    assert _rule_of(result, note) == "author-bio"


def test_a_note_on_the_bylines_writer_ends_the_article_wherever_it_stands():
    """The note on the byline's writer ("About Maren Holt" and who she is) comes before a
    long box of other stories: it ends the article there, and the box goes with it."""
    note = "Maren Holt is a freelance writer based in Riverside. Her work has appeared in many papers."
    others = [
        "Lantern Makers Of The Valley Towns (3:05)",
        "The workshops that made the festival's lanterns for a century kept their ways to themselves.",
        "How The River Ferry Crossed In Winter (2:14)",
        "Before the bridge, the ferry ran through the ice months on a rope across the river.",
        "Why The Old Harbour Clock Ran Slow (1:12)",
    ]
    page = _page(
        "Festival opens on the quay",
        "By Maren Holt",
        *PROSE,
        "About Maren Holt",
        note,
        *others,
    )
    result = extract_text(page)
    assert _kept(result) == list(PROSE)
    assert _rule_of(result, note) == "author-bio"
    assert _rule_of(result, "About Maren Holt") == "author-bio"
    assert _rule_of(result, others[1]) == "author-bio"


def test_a_teaser_whose_headline_is_printed_twice_is_not_the_article():
    """A box of other stories where each card's headline comes twice on one line (the
    picture's text, then the link): the cards go, the article stays."""
    cards = [
        "Council Reviews the Parking Rules Again Council Reviews the Parking Rules Again",
        "New Bus Route Links the Valley Towns New Bus Route Links the Valley Towns",
    ]
    page = _page("Festival opens on the quay", "By Maren Holt", *PROSE[:2], *cards, *PROSE[2:])
    result = extract_text(page)
    assert _kept(result) == PROSE
    assert {_rule_of(result, card) for card in cards} == {"doubled-teaser"}


def test_share_buttons_run_together_in_a_pasted_copy_end_the_post():
    """A select-all copy runs a blog's buttons together ("Email ThisBlogThis!Share to
    TwitterShare to Facebook"): still share buttons, which end the post, so the
    sponsor's text in the sidebar below is not joined to it."""
    buttons = "Email ThisBlogThis!Share to TwitterShare to Facebook"
    sponsor = (
        "Travel at the lowest prices, guaranteed: over five thousand resorts and two million "
        "weeks are available to members, with no black-out dates and no presentations at all!"
    )
    page = _page(
        "Festival opens on the quay",
        "Thursday, July 3, 2012",
        *PROSE[:2],
        buttons,
        "Posted by Maren Holt at 8:18 AM",
        *SIDEBAR_MENU,
        sponsor,
        sponsor.replace("Travel", "Stay"),
        footer=False,
    )
    result = extract_text(page)
    assert _rule_of(result, buttons) == "share-social"
    assert _kept(result) == PROSE[:2]


def test_a_header_under_a_promo_at_the_top_of_a_pasted_page_is_the_header():
    """A pasted page has no page title above its menu. A promo line heads the text, and
    then come the headline, the standfirst and the byline. The headline is the title and
    the standfirst is the standfirst. The promo line is not the article."""
    promo = (
        "Content created by members of the Riverside Business Club, an invitation-only "
        "network of owners and leaders who write about their trade for our readers."
    )
    headline = "What a River Festival Can Teach About Running a Small Shop"
    standfirst = "Owners along the quay say the weekend crowds changed how they plan the year ahead."
    page = _page(promo, headline, standfirst, "By Maren Holt", "July 3, 2026", *PROSE)
    result = extract_text(page)
    assert result.title == headline
    assert result.subtitle == standfirst
    assert result.byline == "Maren Holt"
    assert _kept(result) == list(PROSE)
    assert promo not in _kept(result)


def test_a_text_above_its_byline_is_not_cut_off_as_a_promo():
    """When the longer text stands above the byline and only the paper's blurb is below
    it, the text above is the article: no header is looked for under it."""
    blurb = (
        "The Riverside Gazette has covered the towns of the valley since 1887, from the "
        "council chamber to the football ground, and it is read in every one of them."
    )
    page = _page(
        PROSE[0] + " " + PROSE[1],
        PROSE[2] + " " + PROSE[3],
        "Tags:",
        "Previous in Riverside",
        "By Maren Holt on July 3, 2026 at 4:20 pm",
        blurb,
    )
    result = extract_text(page)
    assert PROSE[0] + " " + PROSE[1] in _kept(result)
    assert result.title != "Previous in Riverside"


def test_a_headline_cut_short_over_the_whole_headline_gives_the_whole_one():
    """"Festival opens on the quay with ..." over "Festival opens on the quay with a
    concert" is a teaser's cut-down copy: the title is the whole headline, and the line
    under it is the standfirst."""
    standfirst = "Several hundred people gathered on the old quay for the first night of music."
    page = _page(
        "Festival opens on the quay with ...",
        "Festival opens on the quay with a concert by the river",
        standfirst,
        "By Maren Holt",
        "July 3, 2026 12:19 PM",
        *PROSE,
    )
    result = extract_text(page)
    assert result.title == "Festival opens on the quay with a concert by the river"
    assert result.subtitle == standfirst
    assert "Festival opens on the quay with ..." not in _kept(result)


def test_a_commenters_said_on_a_line_of_its_own_is_a_comments_header():
    """A pasted blog thread prints each commenter's name, then "said..." on a line of its
    own, then the comment and its time: none of it is the post."""
    lines = []
    for k, (name, reply) in enumerate(zip(COMMENTERS, REPLIES, strict=True)):
        lines += [name, "said...", reply, f"November {10 + k}, 2012 7:24 PM"]
    result = extract_text(_page("Festival opens on the quay", *PROSE, "3 comments:", *lines))
    assert _kept(result) == list(PROSE)
    assert _rule_of(result, "said...") == "comment-header"


def test_the_about_the_author_heading_ends_the_article():
    """"About the Author" under the article heads the writer's note, whatever the note
    says: the heading and what follows it are not the article."""
    note = "Maren writes about the valley's towns and rivers, and draws for her own blog."
    page = _page("Festival opens on the quay", *PROSE, "About the Author", note)
    result = extract_text(page)
    assert _kept(result) == list(PROSE)
    assert _rule_of(result, "About the Author") == "author-bio"
    assert _rule_of(result, note) == "author-bio"


@pytest.mark.parametrize(
    ("heading", "note"),
    [
        (
            "Über Maren Holt",
            "Als Redakteurin für das Tal schreibt Maren Holt seit zehn Jahren über die Städte, "
            "die Flüsse und die Märkte der Gegend.",
        ),
        (
            "Sobre Maren Holt",
            "Jornalista e mãe de dois filhos, Maren Holt escreve há dez anos sobre as cidades, "
            "os rios e as feiras do vale.",
        ),
        (
            "About Maren Holt",
            "As the paper's river correspondent for ten years, Maren Holt has walked every "
            "bank of the valley and written about its towns.",
        ),
    ],
)
def test_the_writers_note_in_other_languages_and_naming_her_later(heading, note):
    """The heading over the writer's note in German or Portuguese, and a note that
    names the writer a few words in: the heading and the note are not the article."""
    result = extract_text(_page("Festival opens on the quay", *PROSE, heading, note))
    assert _kept(result) == list(PROSE)
    assert _rule_of(result, heading) == "author-bio"
    assert _rule_of(result, note) == "author-bio"


def test_about_a_place_over_a_paragraph_that_names_it_late_stays():
    """"About Town Hall" over a paragraph that comes to the hall only at its end is
    a heading of the article, not a writer's note."""
    hall = (
        "Built in 1887 from stone quarried up the valley and paid for by a tax on wool, "
        "the hall is still the seat of the Town Hall committee."
    )
    result = extract_text(_page("Festival opens on the quay", *PROSE, "About Town Hall", hall))
    assert hall in _kept(result)


RELEASE = [
    "Harbourline and Coastways agreed on Monday to sell tickets for each other's crossings, "
    "so that a traveller can book the whole journey from the valley to the islands at once.",
    "The two companies said the first joint timetable would be published in the spring and "
    "that fares would not rise before the end of next year.",
    "Coastways runs four ferries from the old quay and carried more than a million "
    "passengers last year, most of them in the summer months.",
]


def test_the_note_on_the_company_under_its_press_release_goes():
    """Under a press release, the paragraphs on the company that issued it (the
    company its headline names) are the release's boilerplate, not its news; a
    paragraph on another company at the same place stays."""
    title = "Harbourline announces a ticketing partnership with Coastways"
    notes = [
        "Harbourline is a leading provider of booking software for ferry operators in "
        "northern Europe, with offices in four countries.",
        "Harbourline is headquartered in Bergen and employs around 300 people worldwide.",
    ]
    result = extract_text(_page(title, *RELEASE, *notes))
    assert _kept(result) == RELEASE
    assert [_rule_of(result, n) for n in notes] == ["company-note", "company-note"]
    other = (
        "Northwind is a small company that has run the winter crossing to the islands "
        "since 1952 and was not part of the agreement."
    )
    assert other in _kept(extract_text(_page(title, *RELEASE, other)))


def test_a_contact_line_and_a_trail_of_links_are_not_the_headline():
    """A pasted page: the site's contact lines, then the trail of links that ends
    with the headline, the headline and its date. The headline is the title, not
    the e-mail line above it nor the trail."""
    title = "Harbourline announces a ticketing partnership with Coastways"
    page = "\n".join(
        [
            "Contact us",
            "Phone +47 55 00 00 00",
            "E-mail info@harbourline.example",
            f"Home News Business News {title}",
            title,
            "October 12, 2017",
            *RELEASE,
        ]
    )
    result = extract_text(NAV + page + "\n" + FOOTER)
    assert result.title == title
    assert _kept(result) == RELEASE


def test_the_slides_of_a_gallery_under_the_article_are_not_the_article():
    """A copy of the page lists a gallery's slides under the article, after the
    gallery's "Loading Slideshow" placeholder: each slide a heading and a paragraph
    of another story. The article ends above the placeholder."""
    slides = []
    for k, town in enumerate(["Ashby", "Brook End", "Carrow", "Dunmere", "Eastwick"]):
        slides += [
            f"The {town} Harvest Fair Comes Back",
            f"After a gap of {k + 3} years the fair in {town} returned this autumn, with "
            "stalls along the high street, a brass band on the green and a tug of war "
            "between the two pubs that the older residents still talk about.",
        ]
    page = _page("Festival opens on the quay", *PROSE, "Also on the Gazette:", "Loading Slideshow", *slides)
    result = extract_text(page)
    assert _kept(result) == list(PROSE)
    assert _rule_of(result, "Loading Slideshow") == "gallery-loader"


@pytest.mark.parametrize(
    "control",
    [
        "« The lantern parade returns | Main | Buses to run later on Sundays »",
        "City Guide » Events » Festivals",
        "twitter // youtube // rss // contact",
        "Navigation: Jump to content areas:",
        "Search this site",
        "Take our poll",
    ],
)
def test_links_to_other_posts_trails_and_labels_are_not_the_headline(control):
    """A pasted post: a line of links to the posts on either side, a trail of links,
    a menu on one line or a label ending in a colon stands over the post. None of
    them is its title."""
    title = "Festival opens on the quay"
    page = "\n".join([control, "October 12, 2026", *PROSE])
    assert extract_text(page).title != control
    page = "\n".join([control, title, "October 12, 2026", *PROSE])
    assert extract_text(page).title == title


def test_a_verse_that_begins_with_by_the_is_not_a_byline():
    """"By the light of the old lanterns," is a line of verse quoted in the post, not
    the writer's byline: the paragraph above it stays the article, and there is no byline.
    "by the Riverside Team" is a byline."""
    verse = "By the light of the old lanterns,"
    page = _page(
        "Lanterns on the quay",
        PROSE[0] + " " + PROSE[1],
        verse,
        "we walked home along the river.",
        "Filed under Festival |",
    )
    result = extract_text(page)
    assert result.byline == ""
    assert PROSE[0] + " " + PROSE[1] in _kept(result)
    page = _page("Lanterns on the quay", "by the Riverside Team on July 3, 2026", *PROSE)
    assert extract_text(page).byline == "the Riverside Team"


def test_a_page_title_loses_the_sections_name_with_the_sites():
    """"Festival opens on the quay - Local | Gazette.example": the title is the headline,
    without the section's name that stands before the site's."""
    page = "Festival opens on the quay - Local | Gazette.example\n" + _page(*PROSE)
    assert extract_text(page).title == "Festival opens on the quay"
    page = "Festival opens on the quay - and the rain stays away | Gazette.example\n" + _page(*PROSE)
    assert extract_text(page).title == "Festival opens on the quay - and the rain stays away"


def test_a_comments_link_over_the_headline_of_a_pasted_page_breaks_nothing():
    """A pasted page has no page title to find the headline by. A "Comments" link stands
    over the headline and its byline, under a welcome box: the article below is the
    text, not the welcome box above the link."""
    welcome = (
        "Welcome to Riverside Notes! If you are new here, you can read about me and our "
        "guide to the valley, and sign up for the weekly letter to get every new post. "
        "On your way out, make sure to look at the notes on the lantern walks."
    )
    more = [
        "The lantern makers of the lower town worked through the spring to finish the new "
        "boats, which carried light along the river for the whole of the first night.",
        "Families walked the towpath from the mill to the bridge, and the bands played on "
        "the barges until the last of the lanterns had drifted past the weir.",
        "The mayor thanked the volunteers who had cleared the banks, and said the town "
        "would ask them back next year to help with the second stage by the bridge.",
        "By midnight the quay was quiet again, and the stewards counted more visitors than "
        "in any year since the festival began in the old market square.",
    ]
    page = _page(
        welcome,
        "Comments",
        "Festival opens on the quay",
        "Written by Maren filed under Festival",
        *PROSE,
        *more,
    )
    result = extract_text(page)
    assert _kept(result) == [*PROSE, *more]
    assert result.title == "Festival opens on the quay"


def test_a_byline_under_the_post_signs_it_off_and_keeps_it():
    """A blog prints "by Maren at 09:53" under its one-paragraph post: the line signs
    the post off; it is not a header above the text, and the post stays."""
    post = " ".join(PROSE[:3])
    page = _page(
        "MONDAY, JULY 3, 2026", "Open Or Closed", post, "by Maren Holt at 09:53", "Older Post Home"
    )
    assert _kept(extract_text(page)) == [post]


def test_about_and_the_writers_name_heads_the_note_that_names_her():
    """"About Maren Holt" over "Maren writes about the valley…" is the writer's note
    under the article; "About Riverside" over a paragraph on the town is not."""
    note = "Maren writes about the valley's towns and rivers, and draws for her own blog."
    page = _page("Festival opens on the quay", *PROSE, "About Maren Holt", note)
    result = extract_text(page)
    assert _kept(result) == list(PROSE)
    assert _rule_of(result, "About Maren Holt") == "author-bio"
    town = "Riverside is a market town of some twelve thousand people on the lower river."
    result = extract_text(_page("Festival opens on the quay", *PROSE, "About Riverside", town))
    assert town in _kept(result)
