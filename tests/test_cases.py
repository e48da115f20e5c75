"""Case assembly: date order, names across notes, cross-note follow-up, and the rules' flags on small cases."""

from __future__ import annotations

import datetime as dt

import pytest

from recordscan.analyse import analyse_cases
from recordscan.case_resolver import _man_aliases, _relatives_of_the_mother, order_notes
from recordscan.people import PeopleRegistry
from recordscan.tagging import Note


def case(*notes, case_id="T-1"):
    """Notes given as (date, text) or (date, text, author_role)."""
    out = []
    for i, n in enumerate(notes, start=1):
        date, text = n[0], n[1]
        role = n[2] if len(n) > 2 else "Social Worker"
        out.append(Note(case_id, f"{case_id}-{i:02d}", dt.date.fromisoformat(date) if date else None, text, role))
    return out


def analyse(nlp, notes):
    return next(analyse_cases(nlp, [notes]))


def test_notes_are_ordered_by_date_stably_on_ties():
    notes = [Note("C", "b", dt.date(2024, 1, 2), "x"), Note("C", "a", dt.date(2024, 1, 1), "x"),
             Note("C", "c", dt.date(2024, 1, 2), "x"), Note("C", "d", None, "x"), Note("C", "e", dt.date(2024, 1, 1), "x")]
    assert [n.note_id for n in order_notes(notes)] == ["a", "e", "b", "c", "d"]


def test_follow_up_before_the_first_mention_in_time_does_not_count(nlp):
    # Export order is not date order: the review note is older than the optimism it would have to test.
    notes = case(("2024-05-01", "Mum is doing really well and I am confident she can sustain this. Recommend closure."),
                 ("2024-01-10", "Plan to run for six months with a formal review before any step-down."))
    a = analyse(nlp, notes)
    assert [r.note.note_id for r in a.case.notes] == ["T-1-02", "T-1-01"]
    assert a.decisions["over_optimism"].flag


def test_equal_dates_keep_export_order(nlp):
    notes = case(("2024-03-01", "Mum is doing really well."),
                 ("2024-03-01", "TM cautioned against relying on one visit: a three-month review period will test whether the change is sustained."))
    a = analyse(nlp, notes)
    assert not a.decisions["over_optimism"].flag
    notes = case(("2024-03-01", "TM cautioned against relying on one visit: a three-month review period will test whether the change is sustained."),
                 ("2024-03-01", "Mum is doing really well. Case closed."))
    a = analyse(nlp, notes)
    assert a.decisions["over_optimism"].flag


def test_fathers_name_from_an_earlier_note_is_recognised(nlp):
    notes = case(("2024-01-05", "Freya's father, Ryan Tolley, lives at the address but was at work."),
                 ("2024-02-01", "Joint visit. Ryan agreed to take over the night feeds."))
    a = analyse(nlp, notes)
    second = a.case.notes[1]
    assert ("FATHER_INVOLVEMENT", "Ryan") in {(m.label, m.text) for m in second.mentions}
    assert not a.decisions["father_involvement"].flag


def test_names_in_notes_written_all_in_lower_case(nlp):
    # One author writes everything in lower case: names are found from cues, then from the rest of the case.
    notes = case(("2024-01-05", "home visit, kayla and jonah (4) seen. partner dario (jonahs dad) works nights so not seen. "
                                "kayla says shes been low since the summer."),
                 ("2024-02-01", "cin mtg at the hub. jonah now at nursery most days. dario came along and agreed the plan."))
    a = analyse(nlp, notes)
    first, second = a.case.notes
    assert any(m.label == "FATHER_INVOLVEMENT" and m.text.startswith("dario") for m in first.mentions)
    assert ("FATHER_INVOLVEMENT", "dario") in {(m.label, m.text) for m in second.mentions}
    assert [m.status for m in first.mentions if m.label == "MATERNAL_MENTAL_HEALTH"] == ["affirmed"]  # 'shes' is kayla, not jonah
    assert not a.decisions["father_involvement"].flag


def test_lower_case_verbs_after_role_words_are_not_names(nlp):
    notes = case(("2024-01-05", "home visit. mum sleeps on the sofa most days, dad came to the door and mum rang the GP after."),)
    a = analyse(nlp, notes)
    assert not [p for p in a.case.registry.entries() if p.full_name in ("sleeps", "came", "rang")]


def test_a_nickname_in_the_mans_bracket_is_the_same_man(nlp):
    notes = case(("2024-02-05", "Police welfare check. Mum's partner 'Big Al' was at the address with the children."),
                 ("2024-02-13", "Home visit. Alan Rudd ('Big Al', partner, living here since 2022) was seen and spoke with me about the routines."))
    a = analyse(nlp, notes)
    assert not a.decisions["father_involvement"].flag, a.summaries["father_involvement"].explanation()


def test_a_resource_named_after_dads_is_no_man(nlp):
    notes = case(("2024-01-05", "FNP visit. Dad Jordan Pryce (20) present throughout and joined in. Went through the Dad Pad with him."),)
    a = analyse(nlp, notes)
    assert not [p for p in a.case.registry.entries() if p.full_name == "Pad"]
    assert not a.decisions["father_involvement"].flag


def test_child_named_in_one_note_is_not_the_mother_in_another(nlp):
    notes = case(("2024-01-05", "Zara (Year 8) attends Otterholm Academy."),
                 ("2024-02-01", "Zara describes low mood and has self-harmed.", "GP"))
    a = analyse(nlp, notes)
    statuses = {m.text: m.status for m in a.case.notes[1].mentions if m.label == "MATERNAL_MENTAL_HEALTH"}
    assert statuses["low mood"] == "other_experiencer"
    assert not a.decisions["maternal_mental_health"].mentioned


def test_cross_note_follow_up_as_agreed_now_made(nlp):
    notes = case(("2024-01-05", "Mum disclosed low mood. SW to refer her to the perinatal mental health team."),
                 ("2024-02-20", "As agreed at core group, referral now made.", "Health Visitor"))
    a = analyse(nlp, notes)
    assert not a.decisions["maternal_mental_health"].flag
    linked = [f for f in a.case.notes[1].followups if f.concern == "maternal_mental_health"]
    assert linked and linked[0].kind == "completed"


def test_a_household_word_opening_a_sentence_is_no_one_her_dad_could_belong_to(nlp):
    notes = case(("2024-01-01", "Referral re Mason WHITLOCK (7). Mother Jo Whitlock has depression."),
                 ("2024-01-08", "Jo and Mason seen. Fridge now stocked (her dad brought shopping)."))
    assert not analyse(nlp, notes).decisions["father_involvement"].mentioned  # Jo's dad, the grandfather


@pytest.mark.parametrize("text,mentioned", [
    ("Jo Sandford was Carys's civil partner until 2024 and has PR; she now lives in Hensthorpe.", False),  # a woman
    ("Dean Price was Carys's partner until 2024 and has PR.", True),
])
def test_a_woman_named_as_the_subject_of_was_partner_is_no_man_to_assess(nlp, text, mentioned):
    notes = case(("2025-01-01", "Carys Meredith (mum) and Nell (4) seen. Jo (the other mum) has Nell at weekends."),
                 ("2025-01-08", text))
    assert analyse(nlp, notes).decisions["father_involvement"].mentioned == mentioned


def test_the_woman_who_speaks_of_her_mum_is_the_mother_and_her_mum_the_grandmother(nlp):
    notes = case(("2024-08-06", "Rosie (4) and Alfie-James (3) seen. Kayleigh said the house has 'gone to pot' since her mum, "
                                "Denise, moved in. Denise has a personality disorder diagnosis and self-harmed twice in July. "
                                "Kayleigh denies low mood."))
    a = analyse(nlp, notes)
    assert {e.full_name: e.role for e in a.case.registry.entries()}["Kayleigh"] == "MOTHER"
    assert not a.decisions["maternal_mental_health"].mentioned


def test_a_wifes_father_is_a_grandfather(nlp):
    notes = case(("2024-02-01", "Parents: Leah Cassidy (birth mother) and Amira Rahman (wife, co-parent), both visiting daily. "
                                "Conceived via clinic donor; no father figure."),
                 ("2024-02-08", "Met Leah and Amira in the family room. Amira's father drives Leah in each day while Amira works."))
    assert not analyse(nlp, notes).decisions["father_involvement"].mentioned


def test_a_gp_report_about_the_children_completes_no_plan_about_her_mental_health(nlp):
    notes = case(("2024-02-05", "Kelsey said she is still on sertraline and open to the CMHT. Plan: SW to liaise with the CMHT."),
                 ("2024-03-01", "Response to CSC request. Jayden (5): asthma, inhaler reviews missed. This report covers the two "
                                "children as requested. Dr S Brereton, Millbank Surgery.", "GP"))
    a = analyse(nlp, notes)
    assert a.decisions["maternal_mental_health"].flag
    assert a.decisions["gp_contact"].followed_up  # it is still the GP's reply


def test_a_cross_note_cue_belongs_to_the_sentence_of_the_action(nlp):
    # "has now" is about the immunisations; "Sean attended" completes no earlier plan to phone Talking Therapies.
    notes = case(("2021-12-01", "Nicola's panic attacks are worse. Tried to phone Talking Therapies to make the referral; line busy. "
                                "Will try again."),
                 ("2022-02-22", "Core group. Freddie has now had all his immunisations at home. Sean attended and brought his questions."))
    a = analyse(nlp, notes)
    assert a.decisions["maternal_mental_health"].flag


def test_cross_note_cues_are_whole_words(nlp):
    # "Gina has agreed" contains "as agreed" but refers back to no plan: the call to the nurse is not the GP call.
    notes = case(("2024-01-05", "Registered with Orchard Vale Surgery. SW to call the GP."),
                 ("2024-02-01", "Telephone call with the school nurse. Gina has agreed to a carers' session."))
    a = analyse(nlp, notes)
    assert not a.summaries["gp_contact"].completed
    assert a.decisions["gp_contact"].flag


def test_a_call_to_the_mother_as_agreed_does_not_complete_a_gp_plan(nlp):
    notes = case(("2024-01-05", "Registered with Orchard Vale Surgery. SW to call the GP."),
                 ("2024-02-01", "Phoned Chantelle as agreed (35 mins). She described the panic attacks."))
    a = analyse(nlp, notes)
    assert a.decisions["gp_contact"].flag
    notes = case(("2024-01-05", "Registered with Orchard Vale Surgery. SW to call the GP."),
                 ("2024-02-01", "Phoned Orchard Vale Surgery as agreed and spoke to the practice manager."))
    assert not analyse(nlp, notes).decisions["gp_contact"].flag


def test_planned_never_done_is_flagged_with_the_plan_as_reason(nlp):
    notes = case(("2024-01-05", "Nadia acknowledged her anxiety but declined to discuss it. SW to contact GP to seek information about Nadia's anxiety."),
                 ("2024-03-12", "Case reviewed. Step down to Early Help. CSC case closed; no outstanding actions."))
    a = analyse(nlp, notes)
    assert a.decisions["maternal_mental_health"].flag
    assert a.decisions["gp_contact"].flag
    assert "planned 2024-01-05 in T-1-01" in a.summaries["gp_contact"].explanation()


def test_gp_contact_only_about_the_child_is_not_mental_health_follow_up(nlp):
    notes = case(("2024-01-05", "Tasha said she is on antidepressants and feeling low."),
                 ("2024-01-20", "Dr Finch (GP) attended the ICPC and reported that both children are up to date with immunisations."))
    a = analyse(nlp, notes)
    assert not a.decisions["gp_contact"].flag
    assert a.decisions["maternal_mental_health"].flag


def test_one_engaged_father_does_not_cover_an_unseen_partner(nlp):
    notes = case(("2024-01-05", "Kayla's father, Darren Whitby, has her alternate weekends. Mum's partner, Kieran Sealey, stays most nights."),
                 ("2024-02-01", "Present: Leah, Kieran Sealey (partner), SW, HV."),
                 ("2024-03-01", "Kieran attended. Darren Whitby was not invited as the SW did not have his details."))
    a = analyse(nlp, notes)
    summary = a.summaries["father_involvement"]
    assert "Darren Whitby" in summary.unengaged_men
    assert a.decisions["father_involvement"].flag


def test_a_role_word_with_the_mans_name_after_it_is_that_man(nlp):
    notes = case(("2024-04-03", "Booking. The midwife met partner Ashley Grice (FOB), 28, with Jodie."),
                 ("2024-11-19", "Jodie has a new partner, Reuben, who stays most weekends. SW has not yet met Reuben."))
    summary = analyse(nlp, notes).summaries["father_involvement"]
    assert "Reuben" in summary.unengaged_men  # the booking's 'partner' is Ashley, whom the midwife met, not Reuben


def test_a_name_another_note_gives_a_childs_age_is_no_father(nlp):
    notes = case(("2024-07-10", "Contact session. Mason ran to dad, Kacey hung back w/ mum. Dale organised snack."),
                 ("2024-07-30", "Summary: Kacey (6) and Mason (3) Whitcombe. Dale Whitcombe (father) seen at every session."))
    a = analyse(nlp, notes)
    assert "Kacey" not in a.case.men and not a.decisions["father_involvement"].flag


def test_a_review_recorded_as_never_held_is_no_test_of_change(nlp):
    notes = case(("2024-10-01", "Ruby has settled brilliantly; huge progress. Plan: six-week review."),
                 ("2025-02-03", "No record that Ruby's six-week review was held."))
    assert analyse(nlp, notes).decisions["over_optimism"].flag


def test_more_weeks_of_checks_before_discharge_test_the_change(nlp):
    notes = case(("2021-04-13", "Tobi is doing great. HV will weigh weekly for six more weeks before discharge from the pathway."),
                 ("2021-05-18", "Six weekly weights: steady on the 25th centile."))
    assert not analyse(nlp, notes).decisions["over_optimism"].flag


def test_the_mothers_new_partner_is_another_man_to_assess(nlp):
    notes = case(("2022-11-08", "Zofia lives with her father, Piotr Wrona. Her mother now lives in Eastgate with her new partner; Zofia stays "
                                "there every other weekend."),
                 ("2022-11-22", "Piotr seen at home with Zofia. SW to complete checks on the partner."))
    a = analyse(nlp, notes)
    assert "new partner" in a.summaries["father_involvement"].unengaged_men
    assert a.decisions["father_involvement"].flag


def test_a_man_the_notes_place_only_in_the_past_needs_no_engagement(nlp):
    notes = case(("2023-04-15", "Kyle Brennan (partner) lives with Leah and the children. Kyle seen at home and spoken to."),
                 ("2023-05-02", "Leah said her ex-partner, Dale Hurst, left the area in 2019."))
    a = analyse(nlp, notes)
    assert "Dale Hurst" not in a.summaries["father_involvement"].unengaged_men
    assert not a.decisions["father_involvement"].flag


def test_a_nickname_is_the_man_it_was_given_for_in_later_notes(nlp):
    notes = case(("2024-01-05", "Sian's partner of six months, Kelvin ('Kel') Oduya, stays most nights; he was out."),
                 ("2024-02-01", "Nathan Cole (Ivy's father) seen at his flat. Kel still not seen."),
                 ("2024-03-01", "Home visit: Kel present and spoken to alone about the arguments."))
    a = analyse(nlp, notes)
    assert set(a.case.men) == {"Kelvin Oduya", "Nathan Cole"}
    later = [p for res in a.case.notes[1:] for m, p in zip(res.mentions, res.mention_people) if m.text == "Kel"]
    assert later == ["Kelvin Oduya", "Kelvin Oduya"]
    assert not a.decisions["father_involvement"].flag  # both men engaged, Kel in the last note


@pytest.mark.parametrize("apostrophe", [
    "&#39;",  # an HTML entity: cleaning moves every later offset
    "\u2019",  # a curly apostrophe: cleaning keeps every offset but changes the character
    "'",
])
def test_an_action_on_a_man_named_in_html_escaped_text_engages_him(nlp, apostrophe):
    notes = case(("2024-01-05", f"Ellie-Mae{apostrophe}s father, Stuart Gillam, has her on Saturdays.<br>SW to contact Stuart."),
                 ("2024-02-01", f"tc Stuart Gillam (Ellie-Mae{apostrophe}s father) - views recorded for assmt."))
    a = analyse(nlp, notes)
    summary = a.summaries["father_involvement"]
    assert summary.unengaged_men == [] and summary.rule_followed_up


@pytest.mark.parametrize("carer,mentioned", [
    ("Brenda (MGM) became the children's special guardian in 2022.", True),  # the main female carer: her mental health counts
    ("Brenda (MGM) visits on Sundays.", False),  # a grandmother who is not the carer: someone else's mental health
    ("Brenda (MGM) helps out. The HV agreed Brenda should not be the sole carer for a toddler.", False),  # not the carer
])
def test_a_grandmother_who_is_the_main_carer_takes_the_mothers_place(nlp, carer, mentioned):
    notes = case(("2024-01-05", carer), ("2024-02-01", "Brenda told me she has depression and takes sertraline."))
    a = analyse(nlp, notes)
    assert a.summaries["maternal_mental_health"].mentioned is mentioned


def test_the_woman_the_notes_quote_is_the_mother_and_her_dad_is_a_grandfather(nlp):
    notes = case(("2024-01-05", "Farida said she has no partner. Yusuf (2) has a cough."),
                 ("2024-02-01", "Farida told me she is managing. Farida's dad, Aziz, drops food round on Sundays."))
    a = analyse(nlp, notes)
    assert not a.summaries["father_involvement"].mentioned


def test_her_dad_is_a_grandfather_when_she_is_no_child_of_the_case(nlp):
    notes = case(("2025-01-13", "Tilly (6) and Corey (4) seen at school. Rochelle is not in a relationship and says no men "
                                "visit the home; her dad, Stan, has the children on Sunday afternoons."),
                 ("2025-02-01", "Home visit. Tilly and Corey well."))
    a = analyse(nlp, notes)
    assert not a.summaries["father_involvement"].mentioned


@pytest.mark.parametrize("later,engaged", [
    ("Keep open. Rerun checks on Kieran with correct details.", False),  # the check on record was on another man
    ("Checks on Kieran not rerun - Kelly never gave a DOB.", False),
    ("Home visit. Kieran not in.", True),  # nothing said about the check: it stands
    ("Kieran's surname is Dobson, not Dobbs, so the police checks were done on the wrong person. SW to resubmit checks.", False),
])
def test_a_check_run_again_later_was_not_on_the_man(nlp, later, engaged):
    notes = case(("2023-06-05", "Oscar (3) lives with mum Kelly. Oscar's dad Kieran stays overnight."),
                 ("2023-06-06", "PNC on Kieran Dobbs: DOB 04/02/1979, burglary x3."),
                 ("2023-06-20", later))
    a = analyse(nlp, notes)
    assert a.summaries["father_involvement"].rule_followed_up is engaged, a.summaries["father_involvement"].explanation()


def test_a_review_period_dropped_before_it_ran_is_not_a_test_of_change(nlp):
    notes = case(("2024-01-05", "Mum is doing really well. The CIN plan will run for a 12-week review period before any step-down."),
                 ("2024-02-10", "The family are back on track; the 12-week review is no longer needed. Case closed."))
    a = analyse(nlp, notes)
    assert [f.text for _, f in a.summaries["over_optimism"].completed if f.note_id.endswith("02")] == []


def test_unanswered_letter_to_gp_is_not_contact(nlp):
    notes = case(("2024-01-05", "Registered with Hawthorn Road Surgery. SW sent a letter to the GP requesting information."),
                 ("2024-02-05", "No reply from the GP; not chased."))
    a = analyse(nlp, notes)
    assert a.decisions["gp_contact"].flag


def test_a_request_with_nothing_back_is_not_contact(nlp):
    notes = case(("2024-09-02", "Registered at Calder Row Medical Practice. Wrote to the GP today asking for a supporting letter."),
                 ("2024-10-07", "Still nothing back from the GP."))
    assert analyse(nlp, notes).decisions["gp_contact"].flag


def test_documented_attempts_to_trace_a_father_count(nlp):
    notes = case(("2024-01-05", "Dad's whereabouts unknown."),
                 ("2024-02-01", "Letter sent to dad's last known address; no response. DWP checks requested and returned with a new address."))
    a = analyse(nlp, notes)
    assert not a.decisions["father_involvement"].flag


def test_evidence_and_explanation_for_followed_up_concern(nlp):
    notes = case(("2024-01-05", "Chloe disclosed low mood."),
                 ("2024-01-09", "With consent SW referred Chloe to the perinatal mental health team."))
    a = analyse(nlp, notes)
    s = a.summaries["maternal_mental_health"]
    assert s.evidence_note_ids() == ["T-1-02"]
    assert "followed up in T-1-02" in s.explanation()


@pytest.mark.parametrize("concern", ["maternal_mental_health", "father_involvement", "gp_contact", "over_optimism"])
def test_not_mentioned_concern_is_never_flagged(nlp, concern):
    a = analyse(nlp, case(("2024-01-05", "Home visit. Children seen, home clean, school attendance 96%.")))
    assert not a.decisions[concern].mentioned and not a.decisions[concern].flag


def test_follow_ups_tagged_in_case_resolution_match_those_of_the_full_pipeline(nlp, dev_corpus_dir):
    """analyse_cases skips the follow-up tagger in nlp.pipe and runs it once per note in resolve_case; the
    records must be exactly those of the full pipeline followed by the case's re-reading."""
    from recordscan.case_resolver import resolve_case
    from recordscan.evaluation.gold import load_gold
    from recordscan.tagging import tag_notes

    cases = load_gold(dev_corpus_dir / "batch_Y.json")[:6]
    for gold_case in cases:
        ordered = order_notes(gold_case.notes)
        full = resolve_case(nlp, list(tag_notes(nlp, ordered)), followups_tagged=True)
        deferred = analyse(nlp, ordered).case
        assert [(r.note.note_id, r.followups, r.unlinked, r.mentions) for r in deferred.notes] == \
               [(r.note.note_id, r.followups, r.unlinked, r.mentions) for r in full.notes]
        assert any(r.followups for r in full.notes)


def test_a_partner_the_notes_call_she_is_not_a_man_to_assess(nlp):
    notes = case(("2025-03-03", "Ceri Bassett in today with Rhys (10). Ceri said she has not registered them with a GP yet."),
                 ("2025-03-20", "Home visit. Any future boyfriend Ceri introduces would need to be discussed with the SW. "
                                "Ceri said she registered the children at Hatherley Road Surgery last week."))
    a = analyse(nlp, notes)
    assert "Ceri" not in a.case.men
    assert not a.decisions["father_involvement"].mentioned


def test_a_man_whose_depression_the_notes_record_is_not_taken_for_the_mother(nlp):
    notes = case(("2022-03-01", "Visit to Jade and baby Leo. Jade said Ashley is off work with depression. "
                                "Ashley stays most nights; he did not come to the hospital."),
                 ("2022-03-14", "Ashley was out again. Jade said he is struggling with his depression."))
    a = analyse(nlp, notes)
    assert not a.decisions["maternal_mental_health"].mentioned
    assert all(e.role != "MOTHER" for e in a.case.registry.entries() if e.full_name == "Ashley")


def test_a_review_dropped_in_a_later_note_no_longer_tests_the_change(nlp):
    notes = case(("2022-11-15", "Mum is doing brilliantly and has made huge strides."),
                 ("2022-11-29", "TM: keep the CIN plan open for three months before any step-down."),
                 ("2023-01-10", "Things are calm at home; there is no need to wait for the February review. Case closed."))
    a = analyse(nlp, notes)
    assert a.summaries["over_optimism"].completed  # the review was set ...
    assert a.decisions["over_optimism"].flag  # ... and dropped before it tested anything


def test_a_gp_who_sent_nothing_has_not_replied(nlp):
    notes = case(("2021-11-03", "Mum has low mood. Dr Patrick Quaye (GP) was invited but sent apologies and no report."),
                 ("2021-12-08", "CIN review. Dr Quaye sent no information for the review. Minutes to be sent to the GP."))
    a = analyse(nlp, notes)
    assert a.decisions["gp_contact"].flag


def test_a_pregnant_teenager_is_the_mother_and_her_parents_are_grandparents(nlp):
    notes = case(("2021-06-10", "Referral from the school nurse: Shannon Pike (16, Year 11) is 22 weeks pregnant. Home visit. Shannon lives "
                                "with her mum, Lorraine, and her dad, Steve, who works nights at the bakery."),
                 ("2021-07-20", "Lorraine told me she has had depression since her own mother died and is on tablets for it. "
                                "Steve was at work."))
    a = analyse(nlp, notes)
    roles = {e.full_name: e.role for e in a.case.registry.entries()}
    assert roles["Shannon Pike"] == "MOTHER"
    assert roles["Lorraine"] == "OTHER" and roles["Steve"] == "OTHER"
    assert not a.decisions["maternal_mental_health"].mentioned  # the grandmother's depression
    assert not a.decisions["father_involvement"].mentioned  # the grandfather is not a man to assess


def test_her_dad_is_the_mothers_father_when_she_is_the_woman_just_named(nlp):
    notes = case(("2024-04-03", "Jade Cole (19), Ava's mum, moved to supported lodgings after her placement broke down. "
                                "There is no partner on the scene. Her dad, Neil, visits on Sundays."),
                 ("2024-04-20", "Visit to Jade and Ava. Ava (7 weeks) is feeding well."))
    a = analyse(nlp, notes)
    assert "Neil" not in a.case.men
    assert not a.decisions["father_involvement"].flag


def test_her_dad_is_the_childs_father_when_the_girl_was_just_named(nlp):
    notes = case(("2024-04-03", "Kerry Dunn (mum) has low mood. Poppy (7) is late every day. Her dad, Dominic, lives in Leeds."),)
    a = analyse(nlp, notes)
    assert "Dominic" in a.case.men


def test_a_meeting_the_mother_reports_is_not_a_professional_engaging_the_man(nlp):
    notes = case(("2021-09-14", "Shannon (mum) has a new boyfriend, Reece Hall, who stays most nights. Shannon says she met Reece at "
                                "a party in July."),
                 ("2021-10-01", "Reece was not at the house. The SW's action to meet Reece and complete checks passes to Early Help."))
    a = analyse(nlp, notes)
    assert a.decisions["father_involvement"].flag
    assert not a.summaries["father_involvement"].completed


def test_a_reply_awaited_from_the_gp_does_not_fail_a_review_period(nlp):
    notes = case(("2024-06-18", "Amber is doing brilliantly with Noah."),
                 ("2024-07-02", "The CIN plan will continue for three months with at least two unannounced visits. "
                                "Outstanding: no response from the GP to the January letter."))
    a = analyse(nlp, notes)
    assert not a.decisions["over_optimism"].flag


def test_her_dad_belongs_to_the_woman_quoted_in_the_sentence(nlp):
    notes = case(("2024-10-15", "Bernadette (mum) is exhausted. Niamh (14) has OCD. Bernadette said she has managed alone since Niamh "
                                "was a baby and has nobody else apart from her dad, Eamon, who is 74."),)
    a = analyse(nlp, notes)
    assert "Eamon" not in a.case.men


def test_a_young_mothers_parents_are_grandparents(nlp):
    notes = case(("2021-04-13", "New birth visit, Freddie 12 days. Sophie Armitage (20) lives with her parents, Julie and Pete. "
                                "Julie is on antidepressants. Sophie's EPDS was 3; she says she is tired but happy."),
                 ("2021-05-01", "Pete (Sophie's father) was at work. Freddie feeding well."))
    a = analyse(nlp, notes)
    assert not a.decisions["maternal_mental_health"].mentioned
    assert not a.decisions["father_involvement"].mentioned


@pytest.mark.parametrize("intro", [
    "FNP visit at MGM's house; Mason is 5 weeks old. Kayleigh (16) told me she has been feeling low and 'can't stop crying'.",
    "Called by Siobhan Cullen (MGM): her daughter Niamh (18) had taken tablets. Orla (6 weeks) stayed with Siobhan. Niamh feels low.",
])
def test_the_teenage_girl_in_a_case_about_a_baby_is_its_mother(nlp, intro):
    """Young parents' records rarely say 'mother': the girl's own low mood is maternal mental health, her dad is a grandfather."""
    girl = "Kayleigh" if "Kayleigh" in intro else "Niamh"
    notes = case(("2023-03-02", intro), ("2023-03-16", f"{girl}'s dad, Steve Rudd, works offshore and is home one week in three."))
    a = analyse(nlp, notes)
    assert a.decisions["maternal_mental_health"].mentioned
    assert "Steve Rudd" not in a.case.men


def test_a_hyphenated_teenage_mother_and_the_young_fathers_mum(nlp):
    notes = case(("2023-03-02", "Ellie-Mae Corcoran (17) came to the drop-in with Frankie (11 weeks). Kobe Ainsworth is Frankie's dad; "
                                "his mum, Nicole Ainsworth, works nights."),)
    registry = analyse(nlp, notes).case.registry
    assert registry.lookup(["Ellie", "Mae", "Corcoran"]).role == "MOTHER"
    assert registry.lookup(["Nicole", "Ainsworth"]).role == "OTHER"  # the baby's grandmother


def test_a_teenage_sister_is_not_the_mother_without_a_baby(nlp):
    notes = case(("2023-03-02", "Home visit. Jade (16) has been self-harming and is open to CAMHS. Ellis (8) seen."),)
    a = analyse(nlp, notes)
    assert not a.decisions["maternal_mental_health"].mentioned


@pytest.mark.parametrize("text", [
    "Louise said Wayne visited once while she was asleep; staff did not see him.",  # he acted; no one met him
    "Yusuf sees dad Sat-Sun, says 'dad shouts a lot'.",  # the child speaks, about dad
    "In two terms none of us has ever met or spoken to Wayne.",
    "Home visit; Vicky and Ollie seen, Wayne not present.",
    "The HV said she saw Wayne leaving the flat when she arrived.",
    "The police checks and the meeting with Wayne did not happen before discharge.",
    "Vicky has had no contact with Wayne since 2016 and says he moved up north.",
])
def test_sentences_about_a_father_that_are_no_engagement_with_him(nlp, text):
    notes = case(("2022-08-02", "Wayne (father) stays over most weekends. " + text),)
    a = analyse(nlp, notes)
    assert not a.summaries["father_involvement"].completed


def test_her_gp_after_a_grandmother_is_the_grandmothers(nlp):
    notes = case(("2025-05-06", "Vicky Stringer (mum) reported Ollie missing at 22:00."),
                 ("2025-05-20", "Vicky's mum has been off work with depression and her GP has signed her off, so she cannot help."))
    a = analyse(nlp, notes)
    assert not a.decisions["gp_contact"].mentioned
    assert not a.decisions["maternal_mental_health"].mentioned


def test_a_hyphenated_mothers_father_is_a_grandfather(nlp):
    notes = case(("2022-09-01", "Mum Kelly-Ann Rowe reached the ward at 05:30. Jayden (9) had been staying with Kelly-Ann's father, "
                                "Pete Rowe, who has never been trained to give insulin."),)
    a = analyse(nlp, notes)
    assert "Pete Rowe" not in a.case.men


def test_a_referral_the_service_did_not_accept_is_no_follow_up(nlp):
    notes = case(("2024-06-06", "Nadine has psychosis and has stopped her depot. Referral sent to Greyholme CMHT today."),
                 ("2024-06-19", "The CMHT referral was not accepted, as Nadine has not consented. Case closed."))
    a = analyse(nlp, notes)
    assert a.summaries["maternal_mental_health"].completed  # the referral was sent ...
    assert a.decisions["maternal_mental_health"].flag  # ... and came to nothing


def test_a_referral_still_to_be_discussed_is_a_plan(nlp):
    notes = case(("2021-11-08", "Nicola has depression and takes citalopram."),
                 ("2022-01-11", "Talking Therapies referral still to be discussed with Nicola; carried forward."))
    a = analyse(nlp, notes)
    assert a.decisions["maternal_mental_health"].flag


def test_the_woman_whose_screening_is_recorded_is_the_mother_and_her_mum_a_grandmother(nlp):
    notes = case(("2024-02-20", "BOOKING APPOINTMENT 14+5/40. Courtney Fisk (24). Partner: Daniel Reeve (FOB, 27).\n"
                                "Whooley: Courtney denied feeling low or worried."),
                 ("2024-03-12", "Courtney's mum, Sharon, lives next door; Sharon has long-standing depression."))
    a = analyse(nlp, notes)
    assert not a.decisions["maternal_mental_health"].mentioned


def test_the_woman_whose_son_the_child_is_is_the_mother_and_her_dad_a_grandfather(nlp):
    notes = case(("2025-01-06", "Tracey Holt (44) called police after her son, Kian Holt (15), punched her."),
                 ("2025-01-29", "Tracey's dad, Ken, takes Summer swimming on Saturdays."))
    a = analyse(nlp, notes)
    assert "Ken" not in a.case.men


def test_a_bracket_naming_whose_father_he_is(nlp):
    notes = case(("2021-11-01", "Rachel Fairclough (mum) came in with Toby (8)."),
                 ("2021-11-15", "His grandad Brian (Rachel's father) drives him in on Fridays."))
    a = analyse(nlp, notes)
    assert not a.decisions["father_involvement"].mentioned


@pytest.mark.parametrize("text", [
    "Maternal mood: low, tearful at times\nEPDS:\nPartner/Father: Callum back at work",  # an empty template field
    "Priya is anxious and tearful. PHQ-9: started - Priya stopped at Q3 and asked to finish it another time.",
    "She cries in the evenings. I started the EPDS with her, but the questions did not translate well, so it was not completed.",
    "Rebecca is low and tearful. Paul completed CBT; his PHQ-9 fell from 19 to 8.",  # the father's screening
])
def test_screening_that_was_not_done_or_was_not_hers_is_no_follow_up(nlp, text):
    a = analyse(nlp, case(("2022-03-08", text),))
    assert a.decisions["maternal_mental_health"].flag


@pytest.mark.parametrize("text", [
    "Before step-down the SW is to meet Jay and complete police checks, as he is now living in the household.",
    "Outstanding since August: Jay's details and police checks; SW to complete this week.",
])
def test_every_action_of_a_set_plan_is_planned(nlp, text):
    notes = case(("2024-01-15", "Jay (mum's boyfriend) stays at the flat between jobs."), ("2024-06-20", text))
    a = analyse(nlp, notes)
    assert a.decisions["father_involvement"].flag


def test_a_lodger_is_a_man_to_assess(nlp):
    notes = case(("2023-03-07", "Shabnam said the box room is let to a lodger, Petru Ionescu, who sometimes babysits."),
                 ("2023-04-20", "The check on Petru was not completed before closure."))
    a = analyse(nlp, notes)
    assert a.decisions["father_involvement"].flag


def test_a_call_to_the_surgery_that_dropped_is_no_contact(nlp):
    notes = case(("2022-06-09", "Dawn has low mood. SW to request a GP report."),
                 ("2022-06-16", "The SW rang Parkside Surgery to request a report but was held in the queue for 25 minutes and the call dropped."))
    a = analyse(nlp, notes)
    assert a.decisions["gp_contact"].flag


def test_no_reply_from_the_gp_in_the_next_sentence_does_not_fail_a_review(nlp):
    notes = case(("2024-06-18", "Amber is doing brilliantly with Noah."),
                 ("2024-07-02", "The CIN plan continues with two unannounced visits a month. No response from the GP to the January letter."))
    a = analyse(nlp, notes)
    assert not a.decisions["over_optimism"].flag
    assert a.decisions["gp_contact"].mentioned


def test_the_daughter_of_the_womans_mother_is_the_mother(nlp):
    # Each woman was named as the other's relative; the case has a baby, so the daughter is its mother.
    notes = case(("2021-09-06", "Contact at 4 months. Jessie (4 months) is feeding well. Aimee Lorimer looked much thinner and said she "
                                "has been 'forgetting' to eat. She had anorexia as a teenager. Aimee lives with her mother, Sandra."),
                 ("2021-10-02", "Ambulance called by Sandra Lorimer after her daughter Aimee fainted while holding Jessie."))
    a = analyse(nlp, notes)
    roles = {e.full_name: e.role for e in a.case.registry.entries()}
    assert roles["Aimee"] == "MOTHER" and roles["Sandra"] == "OTHER"
    assert a.decisions["maternal_mental_health"].mentioned


def test_a_shortened_first_name_is_the_same_man():
    registry = PeopleRegistry()
    registry.add(["Kelvin", "Oduya"], "FATHER", "m", cue="partner")
    registry.add(["Kel", "Oduya"], "FATHER", "m", cue="partner")
    assert _man_aliases(registry) == {"Kel Oduya": "Kelvin Oduya"}


@pytest.mark.parametrize("text", [
    "Registered at Oakfield Surgery. The letter to Oakfield Surgery came back: the family left the practice in 2020.",
    "Family registered at Oakfield Surgery. Letter to father and GP check carried over to Early Help.",
])
def test_a_letter_that_came_back_or_a_check_passed_on_is_no_gp_contact(nlp, text):
    a = analyse(nlp, case(("2022-03-01", text),))
    assert a.decisions["gp_contact"].flag


def test_the_fathers_own_father_is_a_grandfather():
    registry = PeopleRegistry()
    registry.add(["Ryan", "Tate"], "FATHER", "m", cue="father")
    registry.add(["Steve"], "FATHER", "m", cue="father", owner="Ryan")  # "Ryan's father, Steve"
    _relatives_of_the_mother(registry)
    assert registry.lookup(["Steve"]).role == "OTHER"
    assert registry.lookup(["Ryan", "Tate"]).role == "FATHER"


def test_a_hyphenated_word_between_a_man_and_his_symptoms_keeps_them_his(nlp):
    notes = case(("2022-02-01", "Craig Hale (father) is back from deployment. Rachel is well."),
                 ("2022-03-01", "The concerns arose from Craig's night-time PTSD symptoms and drinking."))
    a = analyse(nlp, notes)
    assert not a.decisions["maternal_mental_health"].mentioned


@pytest.mark.parametrize("text,name,baby", [
    ("Tom has had low mood since Esme's birth.", "Esme", True),
    ("Esme is feeding well and her weight is on the 50th centile.", "Esme", True),
    ("Esme's traumatic birth was in March.", "Esme", True),
    ("Beth's weight has been stable for four weeks.", "Beth", False),  # an adult's weight
    ("Esme said she is tired.", "Esme", False),
])
def test_a_name_the_notes_give_a_birth_or_feeds_is_a_baby(nlp, text, name, baby):
    from recordscan.case_resolver import _named_as_a_baby
    from recordscan.tagging import make_doc

    note = Note("T-1", "T-1-01", dt.date(2021, 6, 7), text, "Social Worker")
    assert _named_as_a_baby([(note, nlp(make_doc(nlp, note)))], name) == baby


@pytest.mark.parametrize("text", [
    "Probation update: Darren Pell was released on licence after assaulting his former partner, Kirsty Vale. Darren is Milo's father.",
    "Darren Pell (father) lives in Hull. The officers found Kirsty Vale, Darren's partner, at home with Milo (4).",
])
def test_a_mans_partner_is_the_mother_and_her_illness_is_hers(nlp, text):
    notes = case(("2023-01-10", text), ("2023-01-24", "Kirsty has bipolar disorder and takes lithium; she is under the CMHT."))
    a = analyse(nlp, notes)
    roles = {e.full_name: e.role for e in a.case.registry.entries()}
    assert roles["Kirsty Vale"] == "MOTHER"
    assert a.decisions["maternal_mental_health"].mentioned


def test_a_bracket_giving_a_name_an_age_after_a_fathers_name_is_the_child():
    from recordscan.pipeline import build_pipeline
    nlp = build_pipeline()
    doc = nlp("Darren is Milo's father (Milo is 5) and wants to see his son.")
    roles = {e.full_name: e.role for e in doc._.people.entries()}
    assert roles == {"Darren": "FATHER", "Milo": "CHILD"}


@pytest.mark.parametrize("text", ["The baby's father is Jordan Keane (17), who is at college.", "Father, Jordan Keane (17), attended."])
def test_a_young_father_named_with_his_age_is_a_father_not_a_child(nlp, text):
    doc = nlp(text)
    assert {e.full_name: e.role for e in doc._.people.entries()}["Jordan Keane"] == "FATHER"


@pytest.mark.parametrize("first_note", [
    "Re: Tamsin Doyle, 21 weeks pregnant. Tamsin (17) lives with her mother, Gail. Tamsin has had panic attacks since Year 10.",
    "Re: Ms Tamsin Doyle, 35, 11 weeks pregnant. Tamsin has had panic attacks since 2019. Call from MGM Judith Doyle: "
    "daughter Tamsin not sleeping.",
    "Booking at 11+2 weeks. Tamsin Doyle (G2 P1) lives with Rio (3). Tamsin has had panic attacks since Year 10; Tamsin said he "
    "is 'great with Rio' and means her partner.",
])
def test_a_woman_described_as_pregnant_is_the_mother(nlp, first_note):
    a = analyse(nlp, case(("2022-05-02", first_note)))
    assert {e.full_name.split()[0]: e.role for e in a.case.registry.entries()}["Tamsin"] == "MOTHER"
    assert a.decisions["maternal_mental_health"].mentioned


def test_a_woman_first_named_as_her_brothers_sister_is_the_mother_of_her_named_children(nlp):
    a = analyse(nlp, case(("2024-03-01", "Rhys Arkwright (27) threw a chair during an argument with his sister Shelby Arkwright (24). "
                                         "Shelby's children Mason (6) and Ivy (2) were in the lounge. Shelby has been on sertraline "
                                         "since Ivy was born.")))
    assert {e.full_name: e.role for e in a.case.registry.entries()}["Shelby Arkwright"] == "MOTHER"
    assert a.decisions["maternal_mental_health"].mentioned


def test_a_date_of_birth_on_file_is_no_childs_age(nlp):
    doc = nlp("Victim Natalie OSEI (DOB on file) reports doorstep visits. Mia ROSE (DOB 03/05/2019) was present.")
    roles = {e.full_name.split()[0]: e.role for e in doc._.people.entries()}
    assert roles.get("Natalie") != "CHILD" and roles["Mia"] == "CHILD"


@pytest.mark.parametrize("text", [
    "Visit to Leanne and the twins. Her partner, Joanne Pike, was at work.",
    "Leanne's partner Rebecca has moved in.",
])
def test_a_partner_with_a_womans_name_is_not_a_man_to_assess(nlp, text):
    a = analyse(nlp, case(("2024-02-01", text)))
    assert not a.case.men
    assert not a.decisions["father_involvement"].mentioned


def test_a_womans_name_is_not_taken_for_a_man_by_the_pronouns_after_it(nlp):
    notes = case(("2023-03-01", "Siobhan has schizoaffective disorder and a monthly depot. Siobhan said he is great with the baby."),
                 ("2023-03-15", "Siobhan said he will do the night feeds."))
    a = analyse(nlp, notes)
    assert a.decisions["maternal_mental_health"].mentioned


def test_neither_child_having_a_father_is_no_father_mentioned(nlp):
    a = analyse(nlp, case(("2024-01-09", "Neither child has a father in their life: both were conceived through a clinic.")))
    assert not a.decisions["father_involvement"].mentioned


@pytest.mark.parametrize("text, mentioned", [
    ("Pauline (MGM) told me she was low after her husband died.", False),
    ("Mum told me her husband, Gary Platt, works away.", True),
])
def test_a_grandmothers_husband_is_no_father_figure_but_the_mothers_is(nlp, text, mentioned):
    a = analyse(nlp, case(("2023-06-01", text)))
    assert a.decisions["father_involvement"].mentioned is mentioned


def test_an_invitation_passed_on_through_the_mother_is_no_attempt_to_reach_him(nlp):
    notes = case(("2024-02-01", "Mum (Tanya) said her boyfriend Scott lives with them now. Plan: SW to meet Scott."),
                 ("2024-03-01", "CIN meeting. Scott was invited through Tanya but did not come."))
    a = analyse(nlp, notes)
    assert a.decisions["father_involvement"].flag


@pytest.mark.parametrize("text", ["Seen in clinic. Dr Tobi Ade, ST5 Paediatrics", "Urgent review by perinatal psychiatry: Dr Quaye saw her.",
                                  "Dr Ola Bright, Specialty Doctor, Community Paediatrics"])
def test_a_hospital_doctor_named_with_a_post_or_a_specialty_is_not_the_gp(nlp, text):
    a = analyse(nlp, case(("2024-01-09", text)))
    assert not a.decisions["gp_contact"].mentioned


def test_a_plan_cue_in_a_later_note_that_is_the_actions_own_word_completes_nothing(nlp):
    notes = case(("2025-01-14", "Donna is still very low. Plan: SW to contact the CMHT duty line about her depression."),
                 ("2025-03-04", "CIN meeting. Donna said she is still really down. Reece visits in the daytime as agreed."))
    a = analyse(nlp, notes)
    assert a.decisions["maternal_mental_health"].flag


def test_the_mental_health_services_own_letter_returning_a_referral_undoes_it(nlp):
    notes = case(("2025-01-22", "Amy has anorexia and is restricting again. I sent a referral to the adult eating disorder service today."),
                 ("2025-01-31", "Referral received from children's social care. We are unable to accept referrals without GP "
                                "registration. Referral returned.", "Adult Eating Disorder Service"))
    a = analyse(nlp, notes)
    assert a.decisions["maternal_mental_health"].flag


@pytest.mark.parametrize("later, followed_up", [
    ("I spoke to Ms Okafor the same afternoon about how Shona is managing.", True),
    ("I spoke to Ms Okafor about Gavin's therapy, with his consent.", False),
])
def test_contact_with_the_mothers_named_mental_health_worker_is_liaison(nlp, later, followed_up):
    notes = case(("2023-03-06", "Shona has been admitted after a relapse of her psychosis. She asked that her care coordinator, Ifeoma Okafor, be told."),
                 ("2023-03-20", later))
    a = analyse(nlp, notes)
    assert a.decisions["maternal_mental_health"].mentioned
    assert (not a.decisions["maternal_mental_health"].flag) is followed_up


def test_a_man_who_stays_over_is_a_man_to_assess_but_a_sleepover_is_not(nlp):
    a = analyse(nlp, case(("2025-01-13", "Dexter said 'Lee stays over loads'. Orla stays over at her nan's on Fridays.")))
    assert set(a.case.men) == {"Lee"}


@pytest.mark.parametrize("text", [
    "CIN meeting. Liam was invited by a text message passed on by Chloe and did not attend.",
    "Nobody from the team or the school nursing service has ever spoken to Liam.",
])
def test_no_professional_reached_him(nlp, text):
    notes = case(("2025-03-03", "Chloe (mum) and her partner Liam Garside, Reggie's father, live together."), ("2025-05-06", text))
    a = analyse(nlp, notes)
    assert a.decisions["father_involvement"].flag


def test_the_mother_meeting_a_man_is_no_engagement_with_him(nlp):
    notes = case(("2024-02-03", "Kayleigh (mum) has a new partner, Lewis Carne, who stays most nights."),
                 ("2024-02-27", "History: Kayleigh met Lewis in 2022 and Lacey was born in April 2023."))
    a = analyse(nlp, notes)
    assert a.decisions["father_involvement"].flag


@pytest.mark.parametrize("text", [
    "Referral to Talking Therapies attempted for Jodie with her consent: the form was returned the same day.",
    "We completed a Talking Therapies self-referral together, but on 8 July the service returned it as incomplete.",
    "I sent a referral to Talking Therapies, but they told me they do not accept referrals from social workers.",
])
def test_a_referral_the_service_sent_back_is_no_follow_up(nlp, text):
    notes = case(("2021-04-12", "Jodie (mum) is in a dark place and has stopped her fluoxetine."), ("2021-04-20", text))
    a = analyse(nlp, notes)
    assert a.decisions["maternal_mental_health"].flag


def test_a_referral_with_no_further_action_is_dropped(nlp):
    notes = case(("2024-06-06", "Nadine (mum) is paranoid and has stopped her depot."),
                 ("2024-06-12", "Discussed with the TM: no further action on the CMHT referral at present."))
    assert analyse(nlp, notes).decisions["maternal_mental_health"].flag


def test_a_main_carer_named_in_lower_case_is_the_mothers_place(nlp):
    a = analyse(nlp, case(("2022-05-03", "kinship assess started. jayden (6) + mia (2) w/ MGM Brenda Hollis since 28/4, mo in rehab. "
                                         "brenda 61, main carer, says she 'struggles w/ her nerves', on sertraline.")))
    assert a.decisions["maternal_mental_health"].mentioned


def test_counselling_for_a_child_is_the_childs(nlp):
    a = analyse(nlp, case(("2024-02-20", "Kacey (14) was seen at school. Plan: counselling for Kacey to continue.")))
    assert not a.decisions["maternal_mental_health"].mentioned


@pytest.mark.parametrize("closing_date, flagged", [("2025-03-25", False), ("2025-01-10", True)])
def test_a_review_period_set_against_optimism_counts_unless_the_case_closes_first(nlp, closing_date, flagged):
    notes = case(("2024-11-05", "Mum is doing brilliantly and has turned everything around."),
                 ("2024-11-12", "TM: we will not close yet. CIN to continue with weekly school data and a review in March."),
                 (closing_date, "Case closed."))
    a = analyse(nlp, notes)
    assert a.decisions["over_optimism"].flag is flagged


def test_a_pipeline_keeps_the_review_phrases_it_was_built_with_through_disk(tmp_path):
    """The review-period phrases travel with the pipeline (the follow-up tagger saves them), so a pipeline built
    from other lexicons, saved and loaded again, judges review periods by its own phrases, not the shipped ones."""
    import shutil

    from recordscan.lexicons import default_lexicon_dir
    from recordscan.pipeline import build_pipeline, load_pipeline, save_pipeline

    lexicons = tmp_path / "lexicons"
    shutil.copytree(default_lexicon_dir(), lexicons)
    rules = lexicons / "review_periods.jsonl"
    kept_lines = [line for line in rules.read_text(encoding="utf-8").splitlines() if '"continue"' not in line]
    rules.write_text("\n".join(kept_lines) + "\n", encoding="utf-8")
    save_pipeline(build_pipeline(lexicons), tmp_path / "pipeline")
    shutil.rmtree(lexicons)  # the saved pipeline must not need the directory it was built from
    notes = case(("2024-11-05", "Mum is doing brilliantly and has turned everything around."),
                 ("2024-11-12", "CIN to continue with weekly school data and a review in March."))
    assert not analyse(build_pipeline(), notes).decisions["over_optimism"].flag
    assert analyse(load_pipeline(tmp_path / "pipeline"), notes).decisions["over_optimism"].flag


@pytest.mark.parametrize("text", [
    "Rang the health centre twice; both times the call was cut off in the queue and I did not get through.",
    "Rang Hollybush Surgery twice, engaged both times. Will try again next week.",
    "SW rang the practice, line engaged.",
    "Rang St Aldhelm's Surgery re the letter - line busy x2.",
    "No reply to the letter yet. Rang surgery, left msg with reception for Dr Mensah.",
    "SW phoned Hollybush Surgery on 19/09 but was told Paige and Nova are not registered there.",
    "tc Lindum Medical Centre re Aga - not reg there since 2022, wouldnt say where.",
    "SW rang Castle Street Surgery; the receptionist said the family are registered elsewhere.",
    "Plan: weekly visits. Copy of this letter to the GP.",
])
def test_a_call_that_reached_no_one_or_a_copy_sent_is_no_gp_contact(nlp, text):
    notes = case(("2023-09-04", "Paige (mum) is registered at Hollybush Surgery, she says."), ("2023-09-28", text))
    assert analyse(nlp, notes).decisions["gp_contact"].flag


@pytest.mark.parametrize("text, flagged", [
    ("GP response to information request (Ravensholm Medical Centre, received by email 07/02): Amos up to date with imms.", False),
    ("Letter recieved from Dr H Cartwright, Ravensholm Medical Centre (reply to my letter): Amos seen 16/06.", False),
    ("Still awaiting GP response to my request.", True),
    ("Phone call with Dr Ruth Okoro (GP, Ravensholm Medical Centre) about Amos. She will flag his record.", False),
    ("GP summary received from Dr Wren, Anchor Lane Surgery, in reply to my request.", False),
    ("No reply has been received from the GP to the SW's letter of 25 October.", True),
])
def test_a_call_held_or_a_summary_received_is_gp_contact_but_no_reply_is_not(nlp, text, flagged):
    notes = case(("2023-05-15", "Amos has missed three hospital appointments. SW to contact the GP."), ("2023-06-12", text))
    assert analyse(nlp, notes).decisions["gp_contact"].flag is flagged


def test_a_hyphenated_partner_word_is_the_same_cue_as_written(nlp):
    a = analyse(nlp, case(("2024-02-05", "Leah conceived Esme through a clinic with her ex-partner, Hollie, and there is no father figure.")))
    assert not a.case.men
    assert not a.decisions["father_involvement"].mentioned


def test_a_known_man_named_in_full_in_lower_case_is_engaged(nlp):
    notes = case(("2024-08-05", "NBV day 12. mo demi larkin 20. FOB Bradley Orme has noah wkends."),
                 ("2024-12-02", "1620 call from ED. bradley orme spoken to by phone - not caring for noah that wk."))
    a = analyse(nlp, notes)
    assert not a.decisions["father_involvement"].flag


def test_a_dad_the_appositive_calls_the_childs_grandad_is_no_father_figure(nlp):
    a = analyse(nlp, case(("2024-02-15", "Ellie (3) seen at home with mum. Her dad, Ellie's grandad, drops food round on Sundays.")))
    assert not a.decisions["father_involvement"].mentioned


def test_a_service_assessing_the_grandmother_is_not_the_mothers_follow_up(nlp):
    notes = case(("2023-10-02", "Lisa (mum) has long-term depression and panic attacks. Irene (MGM) has dementia and lives with them."),
                 ("2023-11-22", "CIN review. The Older Adults CMHT has assessed Irene and changed her antidepressant."))
    a = analyse(nlp, notes)
    assert a.decisions["maternal_mental_health"].flag
    assert all("Older" not in e.full_name for e in a.case.registry.entries())


def test_an_older_adults_mental_health_service_is_never_the_mothers(nlp):
    notes = case(("2023-05-02", "Roseanne (mum) lives with her mother Vashti (71), who has dementia and is under the Older Adults CMHT."),
                 ("2023-05-20", "Phone call with Marion Teague, CPN with the Older Adults CMHT, about Vashti."))
    assert not analyse(nlp, notes).decisions["maternal_mental_health"].mentioned


def test_no_professional_has_negates_every_action_of_its_list(nlp):
    notes = case(("2022-09-06", "Chantelle (mum) said Jamie Pearce, the baby's father, is in prison until January."),
                 ("2023-01-24", "Jamie is staying most nights. No professional has written to him, seen him or asked for police checks."))
    assert analyse(nlp, notes).decisions["father_involvement"].flag


def test_a_birth_father_the_case_never_names_is_not_covered_by_engaging_the_mothers_partner(nlp):
    notes = case(("2021-07-12", "Jade (mum) and her partner Kyle Sutcliffe brought Lola in. Kyle answered most questions."),
                 ("2021-07-20", "PNC on Kyle Sutcliffe: nothing recorded. SW to try to find out where Lola's birth father is living."),
                 ("2021-08-02", "Visit to Jade, Kyle and Lola. Kyle took part in the assessment."))
    a = analyse(nlp, notes)
    assert "father" in a.summaries["father_involvement"].unengaged_men
    assert a.decisions["father_involvement"].flag


def test_a_babys_newborn_check_does_not_make_the_baby_the_mother(nlp):
    notes = case(("2021-05-10", "Tia Lockwood (18) and Rocco (2 weeks) moved to the placement. Rocco's father, Dylan Barraclough (20), "
                                "works offshore."),
                 ("2021-05-13", "Rocco's newborn check was normal and his 8-week check is booked."))
    a = analyse(nlp, notes)
    assert a.case.men == {"Dylan Barraclough": "father"}
    assert a.decisions["father_involvement"].mentioned


def test_a_grown_daughter_with_children_of_her_own_is_their_mother(nlp):
    """A woman first named as a man's daughter, whose mental health the notes discuss, in a case with children and no
    mother: her dad is the children's grandfather, not a father figure."""
    notes = case(("2021-09-10", "Ray Birch (64) died at home on 8 September. His daughter, Shauna Birch, was his main carer, "
                                "with her children Lacey (9) and Reggie (6) living in the house. Shauna has had depression on "
                                "and off since her teens."),
                 ("2021-10-21", "Assessment completed. Shauna's low mood was linked to caring for her dad and has settled."))
    assert not analyse(nlp, notes).decisions["father_involvement"].mentioned


def test_a_grandmothers_grown_daughter_with_children_of_her_own_is_their_mother(nlp):
    notes = case(("2023-11-06", "Attended the home of Carol Brennan (MGM). Dwayne Kirby, ex-partner of Carol's daughter Tasha Brennan "
                                "and father of Kayla (4) and Mason (2), had kicked the door in. Tasha told officers she has PTSD from "
                                "the relationship.", "Police"),
                 ("2023-11-14", "C&FA visit. Tasha told me she has flashbacks most nights and is on a waiting list for Talking "
                                "Therapies."))
    a = analyse(nlp, notes)
    assert a.summaries["maternal_mental_health"].mentioned, [(m.text, m.status, m.reason) for r in a.case.notes for m in r.mentions]


def test_a_man_whose_every_description_is_a_trap_is_no_father_figure_by_name_either(nlp):
    notes = case(("2022-11-03", "Nia's maternal grandmother, Beverley Forde, was asleep. Beverley said she has been on "
                                "medication for depression since her husband Winston died in September."),
                 ("2022-11-09", "Visit. Beverley moved in after Winston's funeral and minds Nia three days a week."))
    a = analyse(nlp, notes)
    assert not a.decisions["father_involvement"].mentioned
    assert all(m.status != "affirmed" for res in a.case.notes for m in res.mentions if m.label == "FATHER_INVOLVEMENT")


def test_a_later_partner_cue_outranks_an_earlier_neighbour(nlp):
    """ "a neighbour, Delroy Grant" and months later "her partner, Delroy Grant, moved in": the tie changed, and the
    case must ask whether the man now in the home was engaged."""
    notes = case(("2023-02-13", "Tobi (13) was brought home by a neighbour, Delroy Grant (41), who found him in the park."),
                 ("2024-01-10", "Precious told me her partner, Delroy Grant, moved in at Christmas and does the school run."))
    assert "Delroy Grant" in analyse(nlp, notes).case.men


def test_a_father_named_by_his_daughter_keeps_whose_father_he_is(nlp):
    """ "her father, Raymond Gorman" (Tracy's) then "Mr Raymond Gorman asked us to contact his daughter Tracy": the
    later note must not erase whose father he is, so he stays the children's grandfather."""
    notes = case(("2021-03-15", "DSL met Tracy Gorman, who said her father, Raymond Gorman, was sentenced in January and that her "
                                "depression has come back badly since. Mollie (7) and Alfie (6) live with her."),
                 ("2021-05-25", "Mr Raymond Gorman asked us to contact his daughter Tracy after she missed two booked visits."))
    assert not analyse(nlp, notes).decisions["father_involvement"].mentioned


def test_a_teenager_named_with_her_age_is_not_taken_for_the_mother(nlp):
    notes = case(("2023-10-14", "Chantelle BOATENG (13) reported missing by her father, Kwame Boateng. Chantelle has self-harmed "
                                "and says she feels low."),
                 ("2023-10-20", "S47 visit. Chantelle, Abena and Kwame (father) seen together."))
    assert "Kwame Boateng" in analyse(nlp, notes).case.men


def test_mr_surname_is_the_man_a_note_names_in_full(nlp):
    notes = case(("2024-03-04", "Declan Doherty (40) lives with Aisling and the children."),
                 ("2024-03-12", "Aisling, Declan (father) and Niamh seen at home."),
                 ("2024-03-26", "Pain clinic review. Mr Doherty (husband) attended with her."))
    a = analyse(nlp, notes)
    assert "Doherty" not in a.case.men and "Declan" in a.case.men
    assert not a.summaries["father_involvement"].unengaged_men


def test_the_dad_of_her_mum_and_dad_is_the_mothers_father(nlp):
    notes = case(("2024-01-01", "Mum, Keeley Watts, lives with Jaxon (3) and Summer (1). No partner and no male in the household."),
                 ("2024-02-01", "Keeley said her mum and dad help a lot."))
    a = analyse(nlp, notes)
    assert not a.summaries["father_involvement"].mentioned


def test_a_title_and_surname_name_the_adult_not_the_child_who_shares_it(nlp):
    notes = case(("2023-08-15", "Applicant: Stuart Pellow (father). Child: Harvey Pellow (8). Mr Pellow has not seen Harvey since January."))
    mentions = [m.text for res in analyse(nlp, notes).case.notes for m in res.mentions if m.label == "FATHER_INVOLVEMENT"]
    assert "Mr Pellow" in mentions


def test_checks_on_two_men_listed_together_engage_both(nlp):
    notes = case(("2022-11-10", "Kieran DOYLE (partner) lives in. Ashley GRANT (father) is in prison."),
                 ("2022-11-21", "PNC/local checks completed on Kieran DOYLE and Ashley GRANT."))
    a = analyse(nlp, notes)
    assert not a.summaries["father_involvement"].unengaged_men
    assert not a.decisions["father_involvement"].flag


def test_a_ms_whose_surname_a_child_shares_is_an_adult_so_her_father_is_a_grandfather(nlp):
    notes = case(("2022-11-08", "Wren Eldridge Kaye (8) lives with her birth mother, Rosie Eldridge. There is no father figure."),
                 ("2023-02-14", "Wren often talks about her 'Grandad Pete' (Ms Kaye's father), whom she sees with Hannah."))
    a = analyse(nlp, notes)
    assert not a.decisions["father_involvement"].mentioned


def test_mr_surname_and_a_first_name_both_called_dad_are_one_man(nlp):
    notes = case(("2023-03-29", "Visited re arrears. Mr Sykes (the children's dad) did most of the talking.", "Income Officer"),
                 ("2023-04-25", "Nicola, Darren (dad), Jayden and Lola seen at home. Darren was open about his anxiety."))
    a = analyse(nlp, notes)
    assert not a.summaries["father_involvement"].unengaged_men
    assert not a.decisions["father_involvement"].flag


def test_a_bracket_after_a_semicolon_speaks_of_others(nlp):
    """"Adrian and Lauren Hesketh (married; Isaac 8 and Grace 5 are their children)": Lauren is no child, so her
    low mood later in the case is maternal mental health."""
    notes = case(("2025-01-13", "Joint appointment, Adrian and Lauren Hesketh (married; Isaac 8 and Grace 5 are their children)."),
                 ("2025-01-22", "Lauren said she has felt low for months."))
    a = analyse(nlp, notes)
    assert a.case.registry.lookup(["Lauren", "Hesketh"]).role != "CHILD"
    mentions = [m for r in a.case.notes for m in r.mentions if m.label == "MATERNAL_MENTAL_HEALTH"]
    assert mentions and all(m.status == "affirmed" for m in mentions)


def test_she_is_not_a_child_named_only_in_a_clause_of_time(nlp):
    """"... when Reuben's transport was withdrawn ... for Reuben ... She has been on sertraline": the child stands
    nowhere a subject does, so 'she' is the mother the case names."""
    notes = case(("2023-03-02", "Pupil: Reuben Castell (8). Mum, Leanne Castell, attended."),
                 ("2023-03-21", "Leanne and I talked about her anxiety. The panic attacks began when Reuben's transport was withdrawn. "
                                "We talked about what this means for Reuben, who needs a predictable start. "
                                "She has been on sertraline for five weeks."))
    a = analyse(nlp, notes)
    sertraline = [m for r in a.case.notes for m in r.mentions if m.text == "sertraline"]
    assert [m.status for m in sertraline] == ["affirmed"]


def test_a_friend_who_stays_over_is_a_man_in_the_home_and_a_victim_is_not_checked(nlp):
    """"a friend, Serhiy, sometimes stays over" is a man to assess; "a conviction for ABH against a previous partner" is a
    check on the man convicted, not on the partner he harmed."""
    notes = case(("2023-02-07", "Pre-birth visit. Chantelle told me a friend, Serhiy, sometimes stays over and helps her."),
                 ("2023-03-09", "Father: Reece Gilmartin. Police checks show a conviction for ABH against a previous partner."))
    a = analyse(nlp, notes)
    assert a.case.registry.lookup(["Serhiy"]).role == "FATHER"
    summary = a.summaries["father_involvement"]
    assert "Serhiy" in summary.unengaged_men and not summary.rule_followed_up, summary.explanation()


def test_a_friend_whose_sentence_goes_on_to_say_he_stays_over(nlp):
    notes = case(("2023-05-02", "Carly said a friend, Lewis, 'pops round and helps with the dog' and sometimes stays over when "
                                "she can't sleep."),)
    a = analyse(nlp, notes)
    assert a.case.registry.lookup(["Lewis"]).role == "FATHER"


def test_a_check_found_to_be_on_a_different_man_in_the_same_note(nlp):
    notes = case(("2024-02-26", "Dad, Dale Whitcombe, works offshore. Requested PNC checks on Dale."),
                 ("2024-05-21", "I note that the PNC check returned a Dale Whitcombe born in 1979, but Sophie gave Dale's DOB as 1994. "
                                "We have checked a different man and hold no checks on Dale. Actions: fresh PNC request with the correct DOB; SW to arrange to meet Dale on his next leave."))
    a = analyse(nlp, notes)
    assert not a.summaries["father_involvement"].rule_followed_up, a.summaries["father_involvement"].explanation()


def test_a_childs_sister_is_a_child_and_her_dad_the_father(nlp):
    notes = case(("2023-04-17", "Pastoral log (Year 9). Brooke Cole has been low in mood for several weeks. She goes to her dad's (Wayne) "
                                "every other weekend and says it is 'better there'. Referral re neglect of Brooke and her brother Charlie (9).",
                  "School Pastoral Lead"),
                 ("2023-04-26", "Visit to Stacey Cole and Charlie (9). Wayne Cole is the children's father. SW to contact Wayne."))
    a = analyse(nlp, notes)
    assert not a.summaries["maternal_mental_health"].mentioned  # Brooke's low mood is a child's
    assert a.summaries["father_involvement"].rule_flag, a.summaries["father_involvement"].explanation()  # her saying so is not his view


def test_an_adult_whose_younger_brother_is_a_child_can_still_be_the_mother(nlp):
    notes = case(("2024-01-05", "New birth visit: Sophie Lennox (22) and Orla (12 days) live with Sophie's parents and her younger "
                                "brother Callum (17). Sophie has generalised anxiety and takes sertraline."),)
    a = analyse(nlp, notes)
    assert a.summaries["maternal_mental_health"].mentioned


def test_an_adult_given_her_age_between_commas_can_still_be_the_mother(nlp):
    notes = case(("2024-01-22", "Antenatal appt 36+2/40. Jodie Cartwright, 21, G1, lives with her sister Kacey (16). Jodie said she has "
                                "had thoughts of hurting herself, no plan. FOB is Callum Price, 23.", "Midwife"),
                 ("2024-03-20", "CIN meeting. Jodie's new partner, Ste (surname not given), has been staying most nights."))
    a = analyse(nlp, notes)
    assert a.summaries["maternal_mental_health"].mentioned  # Jodie, 21, is not a child for being Kacey's sister
    men = [m.text for r in a.case.notes for m in r.mentions if m.label == "FATHER_INVOLVEMENT" and m.status == "affirmed"]
    assert any("Ste" in m for m in men), men  # the mother's partner


def test_self_harm_no_one_is_named_for_is_the_childs_when_only_a_child_self_harms(nlp):
    notes = case(("2023-11-06", "School referral. Esi Mensah (14) has been self-harming; DSL saw cuts on her arm. Mum Abena works nights.",
                  "School DSL"),
                 ("2023-11-08", "Esi attended with mother. Superficial cuts L thigh, cleaned and dressed.", "GP"))
    a = analyse(nlp, notes)
    assert not a.summaries["maternal_mental_health"].mentioned, [(m.text, m.status) for r in a.case.notes for m in r.mentions]


def test_self_harm_in_a_sentence_about_the_mother_stays_hers(nlp):
    notes = case(("2023-11-06", "School referral. Esi Mensah (14) has been self-harming; DSL saw cuts on her arm. Mum Abena works nights.",
                  "School DSL"),
                 ("2023-11-08", "Visit. Abena told me about the self-harm she has hidden since the spring.",))
    a = analyse(nlp, notes)
    assert a.summaries["maternal_mental_health"].mentioned, [(m.text, m.status) for r in a.case.notes for m in r.mentions]


def test_a_check_that_came_back_on_the_wrong_man_of_his_name(nlp):
    notes = case(("2024-02-01", "Father: Dean Whitlow, lives in Morrow Heath. CSC checks request on Dean."),
                 ("2024-03-01", "CSC checks request: Dean WHITLOW. PNC returned one trace - Dean Anthony WHITLOW dob 03/09/1979. "
                                "NB dob supplied by CSC does NOT match, likely a different person.", "Police"),
                 ("2024-04-01", "Supervision. Father: police checks came back on the wrong Dean Whitlow. SW to re-run with correct details."))
    a = analyse(nlp, notes)
    assert a.summaries["father_involvement"].rule_flag, a.summaries["father_involvement"].explanation()


@pytest.mark.parametrize("first,points_back", [
    ("Nadine disclosed low mood since the birth; HV to discuss with the GP.", True),
    ("Nadine said she is tired; Leo's weight is on the 25th centile.", False),  # nothing earlier to point back to
    ("Nadine's sister Kim has depression and takes sertraline.", False),  # an earlier mention that is a trap
])
def test_the_tablets_point_back_to_a_difficulty_an_earlier_note_recorded(nlp, first, points_back):
    notes = case(("2024-01-05", first),
                 ("2024-02-01", "Home visit. Nadine says the tablets are starting to help."))
    a = analyse(nlp, notes)
    later = {(m.label, m.text, m.status) for m in a.case.notes[1].mentions}
    assert (("MATERNAL_MENTAL_HEALTH", "the tablets", "affirmed") in later) is points_back


def test_a_plain_anaphor_still_needs_its_own_note(nlp):
    # "medication" alone is too common to point back across notes: the child's medication, a worker's job.
    notes = case(("2024-01-05", "Nadine disclosed low mood since the birth."),
                 ("2024-02-01", "Rescue medication training done with Nadine; Leo's inhaler in date."))
    a = analyse(nlp, notes)
    assert not [m for m in a.case.notes[1].mentions if m.label == "MATERNAL_MENTAL_HEALTH"]


@pytest.mark.parametrize("plan,flagged", [
    ("Outcome: close to CSC, FSW to continue under EH for 4 weeks then close.", True),  # watching after step-down
    ("Outcome: CIN to continue for 3 months with a review before any step-down.", False),
])
def test_early_help_after_closure_is_no_test_of_the_change(nlp, plan, flagged):
    notes = case(("2024-03-12", "FSW reports a massive improvement and Jodie is engaging really well. Children are thriving."),
                 ("2024-03-26", plan))
    assert analyse(nlp, notes).decisions["over_optimism"].flag is flagged


def test_a_name_ending_like_a_verb_that_opens_what_she_said_is_the_speaker(nlp):
    # "Aisling" ends in -ing like a sentence-opening verb ("Visiting"); before "told" it is the woman speaking, so
    # "she" is Aisling and not the boy named in the sentence before.
    notes = case(("2024-01-05", "Call to Aisling Nolan (mum). Ruben (6) has not logged on to remote learning."),
                 ("2024-01-12", "Ruben showed me his Lego. Aisling told me she has had panic attacks most days."))
    a = analyse(nlp, notes)
    statuses = {m.text: m.status for m in a.case.notes[1].mentions if m.label == "MATERNAL_MENTAL_HEALTH"}
    assert statuses["panic attacks"] == "affirmed"


def test_in_a_childs_own_clinical_record_an_unattributed_difficulty_is_the_childs(nlp):
    # A CAMHS letter is about its young patient: "low mood + self-harm" there is hers, not her mother's. The mother's
    # own difficulty is named as hers, and an adult service or measure is the parent's (the young person's is the PHQ-A).
    notes = case(("2024-01-05", "Reason for referral: low mood + self-harm. Mum says her own depression is bad again. "
                                "Completed a PHQ-9 with mum: 17.", "CAMHS Practitioner"))
    a = analyse(nlp, notes)
    statuses = {m.text: m.status for m in a.case.notes[0].mentions if m.label == "MATERNAL_MENTAL_HEALTH"}
    assert statuses["low mood"] == "other_experiencer" and statuses["self-harm"] == "other_experiencer", statuses
    assert statuses["depression"] == "affirmed" and statuses["PHQ-9 with mum: 17"] == "affirmed", statuses
    # The same words in a social worker's note are read as usual.
    notes = case(("2024-01-05", "Reason for referral: low mood + self-harm.", "Social Worker"))
    a = analyse(nlp, notes)
    assert {m.text: m.status for m in a.case.notes[0].mentions}["low mood"] == "affirmed"
