//! The built-in demo project, written by the Framewise team: a small, entirely fictional
//! evaluation of the Additional Roles Reimbursement Scheme (ARRS) in three made-up NHS Primary
//! Care Networks. Six interviews and two sets of field notes (in `demo/*.txt`), a deductive
//! codebook with a few inductive codes, and codings by two coders, each given by an exact quote
//! that is found in the text when the project is built. The sites and participants are cases
//! with attributes, and a "Workforce" framework matrix is part-way charted (`demo/charting.rs`).

mod charting;

use crate::{
    apply, color_for, Action, Code, CodeId, CodeOrigin, Coding, IdSource, Project, Source,
    SourceKind, Span, Timestamp,
};
use CodeOrigin::{Deductive as D, Inductive as I};

const PROJECT_NAME: &str = "Demo: ARRS roles in three Primary Care Networks";

const PROJECT_MEMO: &str = "A small qualitative evaluation of how the Additional Roles \
Reimbursement Scheme (ARRS) is implemented in three Primary Care Networks: Northgate (urban, \
highly deprived), Fellside (rural, dispersed) and Harbourside (coastal town and villages). Six \
semi-structured interviews and two sets of field notes were coded against a deductive framework \
of four themes (Workforce; Integration & ways of working; Access & patient experience; Resources \
& infrastructure); inductive codes were added where the data did not fit the framework. Two \
coders worked on the material. Everything here — PCNs, people, places and quotes — is fictional \
demo data written for Framewise: explore, code, merge and delete freely.";

const CODER_A: &str = "Demo coder A";
const CODER_B: &str = "Demo coder B";

/// A source of the demo: name, kind, text, memo.
struct SourceSpec {
    name: &'static str,
    kind: SourceKind,
    text: &'static str,
    memo: &'static str,
}

const SOURCES: [SourceSpec; 8] = [
    SourceSpec {
        name: "P01 (Clinical Director, Northgate PCN)",
        kind: SourceKind::Interview,
        text: include_str!("demo/p01_clinical_director_northgate.txt"),
        memo:
            "Rich on governance and money. P01 frames the scheme as 'people without scaffolding' \
— compare with P06, who uses almost the same image from a very different position.",
    },
    SourceSpec {
        name: "P02 (Social Prescribing Link Worker, Northgate PCN)",
        kind: SourceKind::Interview,
        text: include_str!("demo/p02_link_worker_northgate.txt"),
        memo: "",
    },
    SourceSpec {
        name: "P03 (Practice Manager, Fellside PCN)",
        kind: SourceKind::Interview,
        text: include_str!("demo/p03_practice_manager_fellside.txt"),
        memo: "Key rural account: underspend as a consequence of failed recruitment rather than \
lack of will. Follow up on mileage costs paid from practice budgets.",
    },
    SourceSpec {
        name: "P04 (Clinical Pharmacist, Fellside PCN)",
        kind: SourceKind::Interview,
        text: include_str!("demo/p04_clinical_pharmacist_fellside.txt"),
        memo: "",
    },
    SourceSpec {
        name: "P05 (Care Coordinator, Harbourside PCN)",
        kind: SourceKind::Interview,
        text: include_str!("demo/p05_care_coordinator_harbourside.txt"),
        memo: "",
    },
    SourceSpec {
        name: "P06 (GP Partner, Harbourside PCN)",
        kind: SourceKind::Interview,
        text: include_str!("demo/p06_gp_partner_harbourside.txt"),
        memo: "",
    },
    SourceSpec {
        name: "FN1 Northgate PCN board meeting",
        kind: SourceKind::FieldNotes,
        text: include_str!("demo/fn1_northgate_board_meeting.txt"),
        memo: "",
    },
    SourceSpec {
        name: "FN2 Practice visit, Quayside Surgery (Harbourside PCN)",
        kind: SourceKind::FieldNotes,
        text: include_str!("demo/fn2_quayside_practice_visit.txt"),
        memo: "",
    },
];

/// A code of the demo codebook. `key` is how codings and children refer to it.
struct CodeSpec {
    key: &'static str,
    name: &'static str,
    parent: Option<&'static str>,
    origin: CodeOrigin,
    description: &'static str,
    memo: &'static str,
}

const fn code(
    key: &'static str,
    name: &'static str,
    parent: Option<&'static str>,
    origin: CodeOrigin,
    description: &'static str,
) -> CodeSpec {
    CodeSpec {
        key,
        name,
        parent,
        origin,
        description,
        memo: "",
    }
}

/// The codebook, parents before children; colours follow this order.
const CODES: [CodeSpec; 22] = [
    code(
        "WF",
        "Workforce",
        None,
        D,
        "Theme: who the additional roles are and how they are found, kept and developed. Apply \
the theme itself to passages about the ARRS workforce as a whole.",
    ),
    code(
        "RECRUIT",
        "Recruitment & retention",
        Some("WF"),
        D,
        "Attracting, appointing and keeping ARRS staff: adverts, applicants, pay bands, career \
progression and reasons for leaving.",
    ),
    code(
        "CLARITY",
        "Role clarity & scope",
        Some("WF"),
        D,
        "Whether staff and colleagues understand what a role is for: job descriptions, job \
plans, tasks drifting outside the role. Include misuse of a role (e.g. as admin cover).",
    ),
    code(
        "SUPERV",
        "Supervision & professional development",
        Some("WF"),
        D,
        "Clinical and peer supervision, training pathways and CPD. Include supervision that is \
missing, informal or carried by GPs.",
    ),
    CodeSpec {
        memo: "Emerged in the first three interviews and recurs in every PCN, across roles and \
seniority (clinical director, practice manager, link worker, care coordinator, GP partner). \
Consider whether it belongs under Workforce or deserves its own theme.",
        ..code(
            "BURNOUT",
            "Burnout",
            Some("WF"),
            I,
            "Exhaustion, emotional load or work spilling into personal time, for any staff group \
(not only ARRS staff).",
        )
    },
    code(
        "INT",
        "Integration & ways of working",
        None,
        D,
        "Theme: how the new roles fit into practice teams and how the practices of a PCN work \
together.",
    ),
    code(
        "TEAM",
        "Team integration",
        Some("INT"),
        D,
        "ARRS staff being (or not being) part of practice teams: meetings, induction, being \
treated as colleagues, shared routines such as huddles.",
    ),
    code(
        "COMMS",
        "Communication & information sharing",
        Some("INT"),
        D,
        "How information about patients and decisions flows between roles, practices and \
partner services: referrals, feedback, meetings, emails.",
    ),
    code(
        "RELATE",
        "Relationships between practices",
        Some("INT"),
        D,
        "Collaboration, rivalry and power between the member practices of a PCN, including how \
shared staff and sessions are allocated.",
    ),
    CodeSpec {
        memo: "Trust seems to follow transparency about numbers (allocation spreadsheets, \
published session counts) in Northgate and Harbourside, and shared staff in Fellside. A \
candidate mechanism for the final report.",
        ..code(
            "TRUST",
            "Trust between practices",
            Some("RELATE"),
            I,
            "Statements about trusting (or suspecting) other practices or the PCN's decisions, \
and what builds or erodes that trust.",
        )
    },
    code(
        "WORKAROUND",
        "Informal workarounds",
        Some("INT"),
        I,
        "Unofficial fixes that staff invent to make the roles work: private phones, group chats, \
paper notebooks, borrowed rooms, self-organised peer support.",
    ),
    code(
        "GUEST",
        "Feeling like a guest",
        Some("INT"),
        I,
        "ARRS staff described, or describing themselves, as outsiders in the practices they \
work in: no login, no room, no seat at the table.",
    ),
    code(
        "ACC",
        "Access & patient experience",
        None,
        D,
        "Theme: what the scheme changes for patients. Apply the theme itself to general \
observations of patients' experience of getting care.",
    ),
    code(
        "DEMAND",
        "Appointment capacity & demand",
        Some("ACC"),
        D,
        "Numbers and lengths of appointments, waiting times, same-day access and demand \
outstripping capacity.",
    ),
    code(
        "CONTINUITY",
        "Continuity of care",
        Some("ACC"),
        D,
        "Seeing the same clinician over time, holding the whole picture of a patient, and \
fragmentation across many roles.",
    ),
    code(
        "UNDERSTAND",
        "Patient understanding of new roles",
        Some("ACC"),
        D,
        "Patients' expectations of who they should see, confusion about unfamiliar roles and \
ways of explaining them (leaflets, scripts, flowcharts).",
    ),
    code(
        "INEQUAL",
        "Health inequalities",
        Some("ACC"),
        D,
        "Groups who benefit less or are missed: deprivation, language, rurality, transport, \
unregistered or seasonal populations, social determinants of health.",
    ),
    code(
        "RES",
        "Resources & infrastructure",
        None,
        D,
        "Theme: the money, buildings, IT and community assets the roles depend on. Apply the \
theme itself to passages about resources in general.",
    ),
    code(
        "ESTATES",
        "Estates & space",
        Some("RES"),
        D,
        "Rooms, buildings and where ARRS staff physically work, including hot-desking and \
temporary buildings.",
    ),
    code(
        "FUNDING",
        "Funding & reimbursement rules",
        Some("RES"),
        D,
        "The ARRS allocation and its rules: eligible roles, underspend, costs not reimbursed, \
employment risk and uncertainty beyond the contract.",
    ),
    code(
        "DIGITAL",
        "Digital tools & IT systems",
        Some("RES"),
        D,
        "Clinical systems, logins, templates, remote access, connectivity and online booking.",
    ),
    code(
        "VCS",
        "Community & voluntary sector capacity",
        Some("RES"),
        D,
        "Community groups, charities and venues that roles such as social prescribing depend \
on, and their funding.",
    ),
];

/// One coding of the demo: source index in [`SOURCES`], code key, exact quote, coder.
type CodingSpec = (usize, &'static str, &'static str, &'static str);

const A: &str = CODER_A;
const B: &str = CODER_B;

#[rustfmt::skip]
const CODINGS: &[CodingSpec] = &[
    // P01, clinical director, Northgate.
    (0, "WF", "So on paper it's ten people, which is more than the number of partners we have across the whole network, which tells you something.", A),
    (0, "RECRUIT", "She was brilliant clinically, but we didn't have anyone who could supervise her properly for home visits, and she felt she was just being sent to the visits nobody else wanted. She lasted eight months and went back to the ambulance service.", A),
    (0, "SUPERV", "we didn't have anyone who could supervise her properly for home visits", B),
    (0, "SUPERV", "It's the bit nobody costs. The scheme pays the salary, fine, but every one of these roles needs a named clinical supervisor, and in practice that's a GP, and the GPs are already the bottleneck.", A),
    (0, "TEAM", "At Ashby Road and at Mill Lane the pharmacists are in the clinical meetings, they're on the practice messaging group, and people treat them as colleagues.", A),
    (0, "GUEST", "At one of the other practices, I won't say which, the link worker was told she couldn't use the staff room.", B),
    (0, "ESTATES", "Ashby Road is a converted Victorian house; we've got the pharmacist in what used to be the records store, with no window.", A),
    (0, "ESTATES", "We've been told there's a capital process for estates but the timescales are years, not months, and the scheme money can only go on salaries.", B),
    (0, "FUNDING", "We've been told there's a capital process for estates but the timescales are years, not months, and the scheme money can only go on salaries.", A),
    (0, "FUNDING", "if you don't recruit by a certain date the money goes back, so there's a pressure to recruit anyone rather than the right person.", B),
    (0, "VCS", "One of our link workers runs a Thursday group at the community café on Bright Street — they do a walk and then tea — and I've had patients tell me it's the only time in the week they talk to anyone.", B),
    (0, "UNDERSTAND", "Reception will offer \"an appointment with the physio\" and the patient says \"but I want to see a doctor about my back\", and then you've lost five minutes explaining.", A),
    (0, "TRUST", "Boring is good. Trust came from that, really, from being transparent.", B),
    (0, "BURNOUT", "I'm paid for about a day a week of PCN time and it's closer to three. I answer emails at eleven at night.", A),
    (0, "RES", "Let us spend some of it on the things that make the roles work — a supervision budget, a bit of space, a proper induction.", B),
    // P02, link worker, Northgate.
    (1, "INEQUAL", "In reality it's debt, benefits, housing, damp and mould, loneliness, carers who are on their knees, people who've been waiting eighteen months for mental health support and need something now.", A),
    (1, "DIGITAL", "for the first three months I didn't have a login, so I had to ask reception to print referrals for me", B),
    (1, "WORKAROUND", "so I had to ask reception to print referrals for me, and I was hot-desking in whichever room was free", A),
    (1, "GUEST", "That's the thing, you feel a bit like a guest. Like you're the lady from the council, not part of the team.", A),
    (1, "COMMS", "Before, referrals were like \"please see, social issues\", nothing else. Now I get a proper paragraph.", A),
    (1, "SUPERV", "The proper supervision I get is from the link worker network the council runs — it's a peer group, once a month, and we talk through hard cases.", B),
    (1, "BURNOUT", "Some of the stories, you go home and you can't switch off. I had a period last winter where I was sleeping maybe four hours a night, thinking about one family.", A),
    (1, "UNDERSTAND", "A lot of them think I'm a social worker and they're scared I'm going to take their kids or something", A),
    (1, "VCS", "The debt advice service had its funding cut last year, so the wait went from two weeks to nearly three months.", B),
    (1, "FUNDING", "The PCN gave a small grant to the café group, £300, for tea and a couple of umbrellas, which sounds silly but it kept it going.", B),
    (1, "CONTINUITY", "I had patients who'd been seeing me at one surgery who suddenly had to travel across the patch. Some of them just stopped coming.", A),
    (1, "INT", "Give the link worker a login, a room and a name badge on day one. Invite them to the clinical meeting.", A),
    // P03, practice manager, Fellside.
    (2, "RECRUIT", "Recruitment is the whole story for us, honestly. The roles are designed for a town.", A),
    (2, "FUNDING", "we pay her mileage — about £2,000 a year — out of practice money, because you can't claim it through the scheme.", A),
    (2, "FUNDING", "The first two years we handed money back. It's embarrassing to say, but I think a lot of rural networks did.", B),
    (2, "RELATE", "Before the PCN, honestly, Hallbeck and Thornsby barely spoke.", A),
    (2, "RELATE", "The shared staff forced us to sit down together, because you can't share a pharmacist if you don't agree how she spends her week.", B),
    (2, "TRUST", "Now the three managers meet every fortnight, we've got a shared rota, and I'd say I trust the other two managers. I'd ring them about anything. That took three years.", A),
    (2, "ESTATES", "The one at Ravensgill is basically a cottage with a consulting room and a waiting room the size of my kitchen. There's no room for anyone extra.", A),
    (2, "WORKAROUND", "So for the social prescriber, we arranged with the parish council that she can use the village hall on Wednesday mornings, and she does drop-ins there.", B),
    (2, "VCS", "we arranged with the parish council that she can use the village hall on Wednesday mornings, and she does drop-ins there. It works brilliantly, as it happens", A),
    (2, "WORKAROUND", "In the end she tethered the laptop to her own phone, which, you know, I'm not sure the IG people would love, but it meant the clinic happened.", A),
    (2, "DIGITAL", "Broadband at the branches is dreadful.", B),
    (2, "CONTINUITY", "There's a generation here that wants to see \"Dr Harris\" and nobody else — they've seen the same GP for forty years.", A),
    (2, "DEMAND", "People used to wait six weeks for a hospital physio, which meant a ninety-minute round trip. Now they see her within a week at their own surgery.", A),
    (2, "INEQUAL", "Farmers, mostly men, who'll carry on with a bad hip or chest pain until they fall over. And people up the dale without a car, now the bus has been cut back.", B),
    (2, "BURNOUT", "And I'm tired, if I'm honest. The PCN work is on top of the day job.", B),
    // P04, clinical pharmacist, Fellside.
    (3, "CLARITY", "Nobody really knew what I was for.", A),
    (3, "CLARITY", "I was basically a very expensive admin person.", B),
    (3, "CLARITY", "We drew up a sort of job plan — so many sessions on reviews, one on the care home, one on queries — and the queries go through a shared inbox that the technician triages first.", A),
    (3, "TEAM", "I had to build trust with the dispensers. The first time I changed something they rang the GP to check it.", A),
    (3, "DIGITAL", "And then each practice has its own templates for the reviews, its own clinical codes, its own protocols. I spent my first six weeks basically learning three systems.", A),
    (3, "WORKAROUND", "I still keep a little notebook with \"Hallbeck does this, Thornsby does that\".", B),
    (3, "SUPERV", "The thing I miss is other pharmacists. I'm the only one in most rooms.", B),
    (3, "ACC", "One lady's daughter stopped me in the car park and said her mum recognised her again.", A),
    (3, "UNDERSTAND", "One gentleman told me he'd rather wait three weeks for Dr Harris than see \"the tablet lady\" today.", A),
    (3, "ESTATES", "at Thornsby I work in the nurses' room when the nurse isn't in, so my clinics are fitted around hers. I've done reviews in the back of the dispensary, on a stool.", B),
    (3, "RECRUIT", "there's no real progression within the PCN. If I want to go further I probably have to leave.", A),
    (3, "BURNOUT", "I went home feeling I'd wasted the whole month.", B),
    // P05, care coordinator, Harbourside.
    (4, "CLARITY", "When I started nobody could tell me. The job description said \"coordinate care for patients with complex needs\", which is, you know, everything.", A),
    (4, "TEAM", "Now I do the post-discharge calls, I set up the multidisciplinary meeting every fortnight — the community nurses, the GP, the pharmacist, social care, sometimes the hospice — and I chase everything that comes out of it.", A),
    (4, "CONTINUITY", "I'm the one who knows that Mr So-and-so's daughter works nights so you ring after two.", B),
    (4, "COMMS", "The community nurses are on a different system to us, so I can't see their notes, and they can't see ours.", A),
    (4, "DIGITAL", "The community nurses are on a different system to us, so I can't see their notes, and they can't see ours.", B),
    (4, "WORKAROUND", "And the district nurses and I have a group chat for quick things like \"I'm going out to see Mrs X, anything I should know?\" — no patient names on there, initials only.", A),
    (4, "UNDERSTAND", "When I ring people they think I'm from the hospital, or they think I'm selling something.", A),
    (4, "INEQUAL", "and then the seasonal workers at the caravan parks and the fish processing plant, who often aren't registered anywhere.", A),
    (4, "DEMAND", "In July and August the town doubles.", B),
    (4, "RECRUIT", "The other care coordinator left for a job at the council last year for £2,000 more. I've thought about it. And there's no career path.", A),
    (4, "BURNOUT", "I had three people I'd been working with die in the same fortnight in January, and it's not like nursing, we don't get debriefs. I went home and cried in the car.", A),
    (4, "SUPERV", "it's not like nursing, we don't get debriefs", B),
    (4, "ESTATES", "There's a desk at the end of the corridor by the back stairs at Quayside, next to the photocopier.", A),
    (4, "GUEST", "When I'm there I get a warm welcome, but I'm always starting from scratch, because I don't know their patients like I know ours.", B),
    // P06, GP partner, Harbourside.
    (5, "RELATE", "Our PCN is four practices and frankly we're the junior partner in it — the two town practices are much bigger and they drove the PCN from the start.", A),
    (5, "DEMAND", "Musculoskeletal problems were maybe a fifth of my appointments, and now most of those go straight to her.", A),
    (5, "SUPERV", "I supervise the paramedic, which is an hour a week formally and probably another three hours of \"can I just ask you about this patient\" informally.", A),
    (5, "DEMAND", "Some of those appointments are generated by my time.", B),
    (5, "CLARITY", "The scheme was designed as though you can just slot these people in and the GP workload goes down.", B),
    (5, "CONTINUITY", "I've got patients who've seen a pharmacist, the physio, the paramedic and a care coordinator in the last three months and not me.", A),
    (5, "CONTINUITY", "I worry we're building a system where everybody does a bit and nobody owns the patient.", B),
    (5, "TRUST", "I don't think there's bad faith, exactly. I just don't think they see us.", B),
    (5, "TRUST", "When you can see the numbers you can argue about the numbers instead of about each other.", A),
    (5, "ESTATES", "We've put a portable cabin in the car park for the physio, which cost us about £18,000 out of partnership money, because the scheme won't pay for estates and the capital bid was turned down.", A),
    (5, "FUNDING", "which cost us about £18,000 out of partnership money", B),
    (5, "FUNDING", "These are permanent employees, and the funding is year to year. If the money changes, who's the employer of last resort? The partners.", A),
    (5, "BURNOUT", "partly it's that my job has become supervising, signing and firefighting. I see fewer patients myself, and I miss it.", A),
    (5, "UNDERSTAND", "We had a lady complain that she'd been \"palmed off on the paramedic\", and then she wrote a lovely card to the paramedic a month later.", B),
    // FN1, Northgate board meeting.
    (6, "FUNDING", "The clinical director said, \"We'll underspend by about £40,000 unless we recruit by June\", and there was a short silence.", A),
    (6, "RECRUIT", "There was visible frustration when someone mentioned that the last advert had no applicants.", A),
    (6, "ESTATES", "The practice manager from Canal Street said that from April she could no longer give the physio a room on Mondays because a new GP registrar was starting.", A),
    (6, "RELATE", "A GP from another practice said, \"So the PCN staff get the leftovers again\". The manager replied that she had \"nine clinicians and six rooms\".", A),
    (6, "GUEST", "\"So the PCN staff get the leftovers again\"", B),
    (6, "COMMS", "she said the link workers and care coordinators \"aren't really part of the board\" and get a summary by email.", A),
    (6, "DIGITAL", "The practices agreed to trial a shared online booking link for the physio, so that reception in any of the five practices could book into her clinics.", A),
    (6, "TRUST", "I noted again how often transparency about numbers was used to settle disagreements.", B),
    (6, "BURNOUT", "works because of about three people who are exhausted", B),
    (6, "INT", "the people delivering the roles were largely absent from the room where decisions about them were made.", A),
    // FN2, Quayside practice visit.
    (7, "ACC", "A queue of around twelve people had formed outside in the drizzle, several holding phones to their ears", A),
    (7, "UNDERSTAND", "Reception staff had a laminated flowchart taped to the counter titled \"Who can help?\", with boxes for the pharmacist, physio, paramedic, care coordinator and social prescriber.", A),
    (7, "CONTINUITY", "The second, an older woman, asked for \"a proper doctor, not one of the new ones\". The receptionist explained gently that the first GP appointment was in nine days; the woman chose to wait.", B),
    (7, "DEMAND", "the first GP appointment was in nine days", A),
    (7, "ESTATES", "The first contact physio works from a portable cabin in the car park — not Coast Road's cabin, but a similar one hired by Quayside.", B),
    (7, "WORKAROUND", "She keeps a paper notebook with a colour system for the MDT list because, she said, \"the spreadsheet is for the meeting, the notebook is for my head\".", B),
    (7, "TEAM", "I noticed that the huddle was the only point in the morning when all the roles were visibly in one place.", A),
    (7, "COMMS", "The paramedic listed her home visits for the day and a GP agreed to take one that sounded complex.", B),
    (7, "TEAM", "She said the practice had \"learned to stop thinking of them as ARRS staff\" and now just calls them \"the team\".", A),
    (7, "RELATE", "\"we have the back office to absorb them — Coast Road doesn't\"", B),
    (7, "CLARITY", "roles with a clear clinical identity are given rooms, while coordinating roles are squeezed into whatever is left.", A),
];

/// How many codings the demo specifies. [`demo_project`] drops any quote it cannot resolve, so
/// a project with fewer codings than this reveals a broken quote.
pub fn demo_quote_count() -> usize {
    CODINGS.len()
}

/// Problems with the demo's coding quotes, one message each: an unknown source or code, a quote
/// that is empty, missing from its source, or found more than once (ambiguous). Empty when the
/// demo is sound.
pub fn demo_quote_problems() -> Vec<String> {
    let mut problems = Vec::new();
    for (n, &(source, key, quote, _)) in CODINGS.iter().enumerate() {
        let Some(spec) = SOURCES.get(source) else {
            problems.push(format!("coding {n}: no source {source}"));
            continue;
        };
        if !CODES.iter().any(|c| c.key == key) {
            problems.push(format!("coding {n}: no code {key}"));
        }
        let found = if quote.is_empty() {
            0
        } else {
            spec.text.matches(quote).count()
        };
        if found != 1 {
            problems.push(format!(
                "coding {n} ({key}) in {}: quote found {found} times: {quote:?}",
                spec.name
            ));
        }
    }
    problems
}

/// The span of `quote` in `text` (its first occurrence), if it occurs.
fn find_quote(text: &str, quote: &str) -> Option<Span> {
    if quote.is_empty() {
        return None;
    }
    text.find(quote)
        .map(|start| Span::new(start, start + quote.len()))
}

/// The demo project, with fresh ids from `ids` and all timestamps at `now`.
pub fn demo_project(ids: &mut impl IdSource, now: Timestamp) -> Project {
    let mut project = Project::new(ids.project_id(), PROJECT_NAME, now);
    project.memo = PROJECT_MEMO.to_string();

    let sources: Vec<Source> = SOURCES
        .iter()
        .map(|spec| {
            let text = spec.text.trim_end();
            Source {
                id: ids.source_id(),
                name: spec.name.to_string(),
                kind: spec.kind,
                text: text.into(),
                memo: spec.memo.to_string(),
                imported: now,
                file_name: None,
                turns: crate::import::detect_turns(text),
            }
        })
        .collect();

    let mut codes: Vec<Code> = Vec::with_capacity(CODES.len());
    let mut keys: Vec<(&str, CodeId)> = Vec::with_capacity(CODES.len());
    for (i, spec) in CODES.iter().enumerate() {
        let id = ids.code_id();
        let parent = spec
            .parent
            .and_then(|p| keys.iter().find(|(k, _)| *k == p).map(|(_, id)| *id));
        keys.push((spec.key, id));
        codes.push(Code {
            id,
            name: spec.name.to_string(),
            parent,
            color: color_for(i).to_string(),
            description: spec.description.to_string(),
            origin: spec.origin,
            memo: spec.memo.to_string(),
            created: now,
        });
    }

    let mut codings = Vec::with_capacity(CODINGS.len());
    // The coding made from each entry of `CODINGS`, for the matrix's quote references.
    let mut coding_ids: Vec<Option<crate::CodingId>> = Vec::with_capacity(CODINGS.len());
    for &(source, key, quote, coder) in CODINGS {
        coding_ids.push(None);
        let Some(source) = sources.get(source) else {
            continue;
        };
        let Some(code) = keys.iter().find(|(k, _)| *k == key).map(|(_, id)| *id) else {
            continue;
        };
        let Some(span) = find_quote(&source.text, quote) else {
            continue;
        };
        let id = ids.coding_id();
        if let Some(slot) = coding_ids.last_mut() {
            *slot = Some(id);
        }
        codings.push(Coding {
            id,
            source: source.id,
            span,
            code,
            coder: coder.to_string(),
            created: now,
        });
    }

    for action in [
        Action::AddSources { sources },
        Action::ImportCodes { codes },
        Action::AddCodings { codings },
    ] {
        // `apply` cannot fail on this data (the tests check the result); if it ever did, the
        // demo would lack that step rather than crash the app.
        if let Ok(next) = apply(&project, action) {
            project = next;
        }
    }
    charting::add_charting(project, ids, now, &keys, &coding_ids)
}
