//! The command line: what each subcommand takes, with its help text.

use clap::{ArgGroup, Args, Parser, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "suiji",
    version,
    about = "随机 suiji — random inspections (双随机、一公开) that anyone can re-check",
    long_about = "随机 suiji — random inspections (双随机、一公开) that anyone can re-check.\n\n\
        Draws inspection targets from a population with a public seed (protocol suiji-draw/1), \
        assigns teams of inspectors (suiji-assign/1), and verifies published draws. Keeps the \
        item list and the directories of targets and inspectors (一单两库) in a database, imported \
        from and exported to CSV or Excel, and counts working days on China's official calendar. The same \
        draw can be recomputed with the public Python package consistent-sampler.",
    after_help = "Example:\n  \
        suiji draw --population examples/population.csv --seed 25646924322630583082 --ratio-bp 1000 --out draw.json\n  \
        suiji assign --draw draw.json --inspectors examples/inspectors.csv --recusals examples/recusals.csv --team-size 2\n  \
        suiji verify --draw draw.json --population examples/population.csv\n  \
        suiji template targets --format xlsx --out 检查对象名录库模板.xlsx\n  \
        suiji import targets 检查对象名录.xlsx --report problems.csv\n  \
        suiji calendar add-workdays 2026-09-25 20\n\n\
        The directories live in --db URL (or SUIJI_DB): sqlite://suiji.db by default, or postgres://….\n\n\
        Exit status: 0 done, 1 verify found a difference or import found problems (nothing written), \
        2 bad input (nothing written)."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    Serve(ServeArgs),
    Draw(DrawArgs),
    Assign(AssignArgs),
    Verify(VerifyArgs),
    Import(ImportArgs),
    Export(ExportArgs),
    Template(TemplateArgs),
    #[command(subcommand)]
    Calendar(CalendarCommand),
    #[command(subcommand)]
    User(UserCommand),
    #[command(subcommand)]
    Token(TokenCommand),
    #[command(subcommand)]
    Audit(AuditCommand),
    #[command(subcommand)]
    Plan(PlanCommand),
    #[command(subcommand)]
    Task(TaskCommand),
    #[command(subcommand)]
    Department(DepartmentCommand),
    #[command(subcommand)]
    Training(TrainingCommand),
    #[command(subcommand)]
    Setting(SettingCommand),
    #[command(subcommand)]
    Rectification(RectificationCommand),
    #[command(subcommand)]
    Penalty(PenaltyCommand),
    #[command(subcommand)]
    Credit(CreditCommand),
    #[command(subcommand)]
    Lists(ListsCommand),
    #[command(subcommand)]
    Push(PushCommand),
    #[command(subcommand)]
    Target(TargetCommand),
    #[command(subcommand)]
    Lead(LeadCommand),
    Stats(StatsArgs),
    #[command(subcommand)]
    Report(ReportCommand),
}

/// 报告: the 任务总结报告 of a task and the year's 工作总结, written as .docx (to edit and
/// sign), .pdf (printed with Chromium) or .xlsx (the tables), by the --out file's extension.
/// Each states the audit log's head it was made from.
#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// A task's 任务总结报告: scope, draw, teams, results by conclusion and item, handling,
    /// rectifications, what is overdue.
    #[command(after_help = "Examples:\n  suiji report task T-2026-004 --out 任务总结报告.docx\n  \
        suiji report task T-2026-004 --out 任务总结报告.pdf")]
    Task {
        /// The task's code (T-2026-004).
        code: String,
        #[command(flatten)]
        out: ReportOut,
        #[command(flatten)]
        db: DbArg,
    },
    /// The year's 年度“双随机、一公开”工作总结: every figure against the year before, per
    /// department and item, the plans against what was done, a narrative to finish.
    #[command(after_help = "Examples:\n  suiji report annual --year 2026 --out 2026年度工作总结.docx\n  \
        suiji report annual --year 2026 --out 2026年度工作总结.xlsx")]
    Annual {
        /// The calendar year (2000 to 2100).
        #[arg(long)]
        year: i32,
        #[command(flatten)]
        out: ReportOut,
        #[command(flatten)]
        db: DbArg,
    },
}

/// Where a report is written, its format by the extension.
#[derive(Debug, Args)]
pub struct ReportOut {
    /// The file to write: .docx, .pdf or .xlsx.
    #[arg(long)]
    pub out: std::path::PathBuf,
    /// The Chromium that prints a .pdf (default: chromium, chromium-browser or google-chrome on
    /// the PATH).
    #[arg(long)]
    pub chromium: Option<std::path::PathBuf>,
}

/// 统计: the figures of a year (or period) — coverage, items, problems found, handling,
/// timeliness, workload — as defined in docs/statistics.md; the same numbers as
/// `GET /api/v1/stats`.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  suiji stats --year 2026\n  \
        suiji stats --from 2026-01-01 --to 2026-06-30 --department 劳动保障监察大队\n  \
        suiji stats --year 2026 --json > stats-2026.json")]
pub struct StatsArgs {
    /// A calendar year (instead of --from and --to).
    #[arg(long, conflicts_with_all = ["from", "to"], required_unless_present_all = ["from", "to"])]
    pub year: Option<i32>,
    /// The period's first day.
    #[arg(long, requires = "to")]
    pub from: Option<chrono::NaiveDate>,
    /// The period's last day.
    #[arg(long, requires = "from")]
    pub to: Option<chrono::NaiveDate>,
    /// Only the tasks this department runs (主办部门).
    #[arg(long)]
    pub department: Option<String>,
    /// Print the figures as JSON (the API's shape) instead of lines.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub db: DbArg,
}

/// 线索: what starts a triggered inspection (投诉举报, 转办交办, 网络监测, 风险防控). What a lead
/// says stays internal; a task that takes it up shows the public its kind only.
#[derive(Debug, Subcommand)]
pub enum LeadCommand {
    /// Register a lead; prints its number.
    #[command(
        after_help = "Example:\n  suiji lead add --source complaint --received 2026-12-01 --target 91410300MA44XXXX0X \\\n    --reference 12345-20261201-0031 --summary \"职工反映拖欠工资两个月\" --department 劳动保障监察大队\n\n\
        Sources: complaint (投诉举报), referral (转办交办), monitoring (网络监测), risk (风险防控)."
    )]
    Add {
        /// complaint, referral, monitoring or risk (or the Chinese name).
        #[arg(long)]
        source: String,
        /// The day it reached the bureau.
        #[arg(long)]
        received: chrono::NaiveDate,
        /// A firm it concerns (统一社会信用代码); repeat for several.
        #[arg(long = "target", required = true)]
        targets: Vec<String>,
        /// What it says (kept internal).
        #[arg(long)]
        summary: String,
        /// Its own number: the hotline's ticket, a referral's 文号.
        #[arg(long, default_value = "")]
        reference: String,
        /// The department that received it (the bureau when left out).
        #[arg(long)]
        department: Option<String>,
        #[command(flatten)]
        db: DbArg,
        #[command(flatten)]
        actor: ActorArg,
    },
    /// The leads, newest first: number, received, source, status (task), department, firms.
    List {
        /// open, tasked or closed.
        #[arg(long)]
        status: Option<String>,
        #[command(flatten)]
        db: DbArg,
    },
    /// One lead: its fields, then a line a firm with its risk score and the score's parts.
    Show {
        id: i64,
        #[command(flatten)]
        db: DbArg,
    },
    /// 不予立项: close an open lead without a task, with the reason.
    #[command(after_help = "Example:\n  suiji lead close 3 --reason \"经初步核实，已于投诉前足额支付工资\"")]
    Close {
        id: i64,
        #[arg(long)]
        reason: String,
        #[command(flatten)]
        db: DbArg,
        #[command(flatten)]
        actor: ActorArg,
    },
}

/// One firm of the directory (检查对象).
#[derive(Debug, Subcommand)]
pub enum TargetCommand {
    /// The firm's inspection ledger (检查台账) for a year: a heading line (USCC, name, year,
    /// random draws against their limit, on-site visits against theirs), then a line a visit:
    /// date, done or planned, kind, task, department, method, status, exemption.
    #[command(after_help = "Example:\n  suiji target inspections 91410300MA44XXXX0X --year 2026")]
    Inspections {
        uscc: String,
        /// This year when left out.
        #[arg(long, value_parser = clap::value_parser!(i32).range(2000..=2100))]
        year: Option<i32>,
        #[command(flatten)]
        db: DbArg,
    },
}

/// 推送 to other departments: receivers of the public events, their delivery log, and the
/// day's events as files for systems that take uploads.
#[derive(Debug, Subcommand)]
pub enum PushCommand {
    /// Add a receiver: a webhook (--url and --secret-file), or without --url a file receiver.
    #[command(
        after_help = "Example:\n  suiji push add 市场监管局 --url https://example.gov.cn/suiji --secret-file secret.txt \\\n    --events penalty.published,list.entered\n\n\
        Events: result.published, result.corrected, penalty.published, penalty.corrected, list.entered, \
        list.removed, grade.changed (all when --events is left out). Each delivery is signed \
        X-Suiji-Signature: sha256=<HMAC-SHA256 of the body under the secret>; see docs/push.md."
    )]
    Add {
        name: String,
        #[arg(long)]
        url: Option<String>,
        /// A file holding the shared secret (16 bytes at least), for a webhook.
        #[arg(long, value_name = "FILE")]
        secret_file: Option<std::path::PathBuf>,
        #[arg(long, value_delimiter = ',')]
        events: Vec<String>,
        #[command(flatten)]
        db: DbArg,
        #[command(flatten)]
        actor: ActorArg,
    },
    /// The receivers, then the latest deliveries: number, event, receiver, status, attempts,
    /// the last reply.
    Log {
        #[arg(long)]
        receiver: Option<String>,
        #[arg(long, default_value_t = 50)]
        limit: u64,
        #[command(flatten)]
        db: DbArg,
    },
    /// Write the events since a day as events-DATE.json and events-DATE.xlsx into DIR.
    Export {
        #[arg(long, value_name = "YYYY-MM-DD")]
        since: chrono::NaiveDate,
        #[arg(long, value_name = "DIR")]
        out: std::path::PathBuf,
        #[command(flatten)]
        db: DbArg,
    },
}

/// The public lists: 重大劳动保障违法行为社会公布 (major_violations) and 拖欠农民工工资失信联合
/// 惩戒对象名单 (wage_arrears). Each change goes to the audit log.
#[derive(Debug, Subcommand)]
pub enum ListsCommand {
    /// The entries: number, list, firm, status.
    Show {
        #[arg(long, value_parser = ["major_violations", "wage_arrears"])]
        list: Option<String>,
        #[arg(long, value_parser = ["proposed", "notified", "listed", "removed"])]
        status: Option<String>,
        #[command(flatten)]
        db: DbArg,
    },
    /// Propose an entry from a penalty decision.
    #[command(
        after_help = "Example:\n  suiji lists propose 3 --list wage_arrears --kind arrears_criminal_amount --as 王建国\n\n\
        Kinds: wages, social_insurance, working_hours, special_protection, child_labour, serious_impact, other \
        (major_violations); arrears_criminal_amount, arrears_mass_incident (wage_arrears)."
    )]
    Propose {
        /// The penalty decision.
        penalty: i64,
        #[arg(long, value_parser = ["major_violations", "wage_arrears"])]
        list: String,
        #[arg(long = "kind", required = true)]
        kinds: Vec<String>,
        /// The facts as published (the decision's when left out).
        #[arg(long, default_value = "")]
        facts: String,
        #[command(flatten)]
        db: DbArg,
        #[command(flatten)]
        actor: ActorArg,
    },
    /// Publish a serious violation.
    Publish {
        id: i64,
        #[command(flatten)]
        db: DbArg,
        #[command(flatten)]
        actor: ActorArg,
    },
    /// Record that the firm was told it is to be listed for wage arrears.
    Notify {
        id: i64,
        #[arg(long = "on", value_name = "YYYY-MM-DD")]
        notified_on: chrono::NaiveDate,
        #[command(flatten)]
        db: DbArg,
        #[command(flatten)]
        actor: ActorArg,
    },
    /// List the firm (after its time to state its case, or with what it said).
    Decide {
        id: i64,
        #[arg(long, default_value = "")]
        statement: String,
        #[arg(long)]
        years: Option<u32>,
        #[command(flatten)]
        db: DbArg,
        #[command(flatten)]
        actor: ActorArg,
    },
    /// Remove early, its credit repaired (信用修复), with the reason.
    Repair {
        id: i64,
        #[arg(long)]
        reason: String,
        #[command(flatten)]
        db: DbArg,
        #[command(flatten)]
        actor: ActorArg,
    },
    /// Remove at the end of its term.
    Remove {
        id: i64,
        #[command(flatten)]
        db: DbArg,
        #[command(flatten)]
        actor: ActorArg,
    },
}

/// 守法诚信等级评价: propose a year's grades, review them, confirm them. Each change goes to
/// the audit log.
#[derive(Debug, Subcommand)]
pub enum CreditCommand {
    /// Propose each firm's grade for a year, with the reasons: number, firm, was, grade, why.
    #[command(after_help = "Example:\n  suiji credit evaluate --year 2026 --as 王建国")]
    Evaluate {
        #[arg(long)]
        year: i32,
        #[command(flatten)]
        db: DbArg,
        #[command(flatten)]
        actor: ActorArg,
    },
    /// Show an evaluation (the latest when no number is given).
    Show {
        id: Option<i64>,
        #[command(flatten)]
        db: DbArg,
    },
    /// Set a firm's grade other than proposed, with the reason.
    Adjust {
        id: i64,
        uscc: String,
        #[arg(long, value_parser = ["A", "B", "C"])]
        grade: String,
        #[arg(long, default_value = "")]
        reason: String,
        #[command(flatten)]
        db: DbArg,
        #[command(flatten)]
        actor: ActorArg,
    },
    /// Confirm an evaluation: the grades go into the directory and weigh the next draws.
    Confirm {
        id: i64,
        #[command(flatten)]
        db: DbArg,
        #[command(flatten)]
        actor: ActorArg,
    },
}

/// The decision's fields, as `suiji penalty record` and `correct` take them.
#[derive(Debug, clap::Args)]
pub struct DecisionArgs {
    /// 一般程序 (general: published within 7 working days) or 简易程序 (simple).
    #[arg(long, value_parser = ["general", "simple"], default_value = "general")]
    pub procedure: String,
    /// 行政处罚决定书文号.
    #[arg(long = "no")]
    pub decision_no: String,
    #[arg(long = "date", value_name = "YYYY-MM-DD")]
    pub decided_on: chrono::NaiveDate,
    /// 违法事实, as it will be published.
    #[arg(long)]
    pub facts: String,
    /// 处罚依据.
    #[arg(long)]
    pub basis: String,
    /// 处罚内容 (a warning, a fine of so much…).
    #[arg(long)]
    pub penalty: String,
}

/// 行政处罚 decisions and their public notices, and 不予公开 of a result. Each change goes to
/// the audit log.
#[derive(Debug, Subcommand)]
pub enum PenaltyCommand {
    /// List them: number, firm, decision, penalty, standing (and the notice's deadline).
    #[command(after_help = "Example:\n  suiji penalty list --status overdue")]
    List {
        #[arg(long, value_parser = ["due", "overdue", "published", "recorded"])]
        status: Option<String>,
        #[command(flatten)]
        db: DbArg,
    },
    /// Record a decision against the inspection that found the violation.
    #[command(
        after_help = "Example:\n  suiji penalty record 12 --no 偃人社监罚〔2026〕3号 --date 2026-11-20 \\\n    --facts 拖欠12名农民工工资… --basis 《保障农民工工资支付条例》第五十七条 --penalty 罚款人民币2万元 --as 王建国"
    )]
    Record {
        /// The inspection.
        inspection: i64,
        #[command(flatten)]
        decision: DecisionArgs,
        #[command(flatten)]
        db: DbArg,
        #[command(flatten)]
        actor: ActorArg,
    },
    /// Publish a decision's notice (一般程序).
    Publish {
        id: i64,
        #[command(flatten)]
        db: DbArg,
        #[command(flatten)]
        actor: ActorArg,
    },
    /// Change a decision; once published, a correction with its reason (the old notice kept).
    Correct {
        id: i64,
        #[command(flatten)]
        decision: DecisionArgs,
        #[arg(long, default_value = "")]
        reason: String,
        #[command(flatten)]
        db: DbArg,
        #[command(flatten)]
        actor: ActorArg,
    },
    /// Keep an entered result off the portal (不予公开), naming the legal basis.
    Withhold {
        /// The inspection.
        inspection: i64,
        #[arg(long)]
        basis: String,
        #[command(flatten)]
        db: DbArg,
        #[command(flatten)]
        actor: ActorArg,
    },
}

/// Rectifications (整改) and their follow-ups (复查): list them, schedule a follow-up, extend
/// a deadline once, or take a case further. Each change goes to the audit log.
#[derive(Debug, Subcommand)]
pub enum RectificationCommand {
    /// List them: number, firm, task, deadline in force, standing.
    #[command(after_help = "Example:\n  suiji rectification list --status overdue")]
    List {
        /// open, due (within 7 days), overdue or closed; all when absent.
        #[arg(long, value_parser = ["open", "due", "overdue", "closed"])]
        status: Option<String>,
        #[command(flatten)]
        db: DbArg,
    },
    /// Schedule a follow-up inspection by the original team, or by one drawn anew.
    FollowUp {
        id: i64,
        /// Draw the team by suiji-assign/1 with the seed <draw seed>/followup/<id>.
        #[arg(long)]
        draw_team: bool,
        #[command(flatten)]
        db: DbArg,
        #[command(flatten)]
        actor: ActorArg,
    },
    /// Extend the deadline, once, after a follow-up found it not rectified.
    #[command(
        after_help = "Example:\n  suiji rectification extend 3 --until 2027-01-31 --reason 企业申请延期 --as 王建国"
    )]
    Extend {
        id: i64,
        #[arg(long, value_name = "YYYY-MM-DD")]
        until: chrono::NaiveDate,
        #[arg(long)]
        reason: String,
        #[command(flatten)]
        db: DbArg,
        #[command(flatten)]
        actor: ActorArg,
    },
    /// Open a case (立案查处) or refer it (移送), which closes the rectification.
    Escalate {
        id: i64,
        #[arg(long, value_parser = ["case", "referral"])]
        kind: String,
        /// What was opened, or the body it went to.
        #[arg(long)]
        note: String,
        #[command(flatten)]
        db: DbArg,
        #[command(flatten)]
        actor: ActorArg,
    },
}

/// 执法人员培训: the courses each inspector took, kept on its record. A bureau may require
/// training within so many months to be drawn onto a team (`suiji setting set training_months 12`).
#[derive(Debug, Subcommand)]
pub enum TrainingCommand {
    /// An inspector's training, newest first: day, hours, course, held by.
    List {
        /// The inspector's 执法证号.
        cert_no: String,
        #[command(flatten)]
        db: DbArg,
    },
    /// Record a course an inspector took.
    #[command(
        after_help = "Example:\n  suiji training add 豫人社监3070 --course 劳动保障监察业务培训 --date 2026-05-20 --hours 16"
    )]
    Add {
        cert_no: String,
        #[arg(long)]
        course: String,
        /// The day it ended.
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: chrono::NaiveDate,
        #[arg(long)]
        hours: u32,
        #[arg(long, default_value = "")]
        provider: String,
        #[command(flatten)]
        db: DbArg,
        #[command(flatten)]
        actor: ActorArg,
    },
}

/// 年度抽查计划: a department's plan as lines, submitted to the 牵头科室, approved or returned,
/// published. From the server's shell every step is open (the pages keep a department's staff
/// to their own plans); each is an audit entry under --as.
#[derive(Debug, Subcommand)]
pub enum PlanCommand {
    /// The plans: number, year, status, department, lines, title.
    List {
        /// Only this year's.
        #[arg(long)]
        year: Option<i32>,
        #[command(flatten)]
        db: DbArg,
    },
    /// One plan: its lines and their execution (tasks, drawn, inspected, published).
    Show {
        plan: i64,
        #[command(flatten)]
        db: DbArg,
    },
    /// 综合查一次: pairs of lines of two departments' plans (submitted or later) that visit the
    /// same kind of firm in one period and no task carries yet — a line a pair: year, the two
    /// lines (department, plan#line, item), kind of firm, common period.
    JointOffers {
        /// Only this year's.
        #[arg(long)]
        year: Option<i32>,
        #[command(flatten)]
        db: DbArg,
    },
    /// Add a plan from a JSON file ({year, department, title, description, lines}).
    #[command(after_help = "Example plan.json:
  {\"year\": 2026, \"department\": \"社会保险科\", \"title\": \"2026年度社会保险抽查计划\",
   \"lines\": [{\"item\": \"RS-002\", \"expected_ratio_bp\": 500,
               \"window_start\": \"2026-03-01\", \"window_end\": \"2026-06-30\",
               \"joint_departments\": [\"劳动保障监察科\"]}]}

  suiji plan add --file plan.json --as 社保科张三")]
    Add {
        #[arg(long)]
        file: PathBuf,
        #[command(flatten)]
        db: DbArg,
        #[command(flatten)]
        actor: ActorArg,
    },
    /// Replace a draft or returned plan with a JSON file's.
    Set {
        plan: i64,
        #[arg(long)]
        file: PathBuf,
        #[command(flatten)]
        db: DbArg,
        #[command(flatten)]
        actor: ActorArg,
    },
    /// Submit a plan to the 牵头科室.
    Submit {
        plan: i64,
        #[arg(long, default_value = "")]
        comment: String,
        #[command(flatten)]
        db: DbArg,
        #[command(flatten)]
        actor: ActorArg,
    },
    /// Approve a submitted plan.
    Approve {
        plan: i64,
        #[arg(long, default_value = "")]
        comment: String,
        #[command(flatten)]
        db: DbArg,
        #[command(flatten)]
        actor: ActorArg,
    },
    /// Return a plan to its department, saying why.
    Return {
        plan: i64,
        #[arg(long)]
        comment: String,
        #[command(flatten)]
        db: DbArg,
        #[command(flatten)]
        actor: ActorArg,
    },
    /// Publish an approved plan on the portal.
    Publish {
        plan: i64,
        #[command(flatten)]
        db: DbArg,
        #[command(flatten)]
        actor: ActorArg,
    },
}

/// 组织机构: the bureau's departments, a tree whose root is the bureau. Each change goes to
/// the audit log; a department renamed is renamed in every current record that names it.
#[derive(Debug, Subcommand)]
pub enum DepartmentCommand {
    /// The tree: number, kind, status, name (indented under the department above), accounts,
    /// inspectors.
    List {
        #[command(flatten)]
        db: DbArg,
    },
    /// Add a department (under the bureau unless --parent names another).
    #[command(
        after_help = "Kinds: lead (牵头科室), business (业务科室), enforcement (执法机构), affiliated (直属单位).

        Example:
  suiji department add 劳动保障监察股 --kind lead --as 系统管理员
          suiji department add 工伤保险股 --parent 社会保险科 --as 系统管理员"
    )]
    Add {
        name: String,
        #[arg(long, default_value = "business", value_parser = ["lead", "business", "enforcement", "affiliated"])]
        kind: String,
        /// The department above, by name or number.
        #[arg(long)]
        parent: Option<String>,
        #[command(flatten)]
        db: DbArg,
        #[command(flatten)]
        actor: ActorArg,
    },
    /// Change a department (named by its name or number): what is not given stays.
    #[command(after_help = "Example:
  suiji department set 社会保险科 --name 社会保险股 --as 系统管理员
          suiji department set 就业促进科 --inactive --as 系统管理员")]
    Set {
        department: String,
        #[arg(long)]
        name: Option<String>,
        #[arg(long, value_parser = ["lead", "business", "enforcement", "affiliated"])]
        kind: Option<String>,
        #[arg(long)]
        parent: Option<String>,
        /// No longer in use (its history stays).
        #[arg(long, conflicts_with = "active")]
        inactive: bool,
        /// In use again.
        #[arg(long)]
        active: bool,
        #[command(flatten)]
        db: DbArg,
        #[command(flatten)]
        actor: ActorArg,
    },
}

/// The bureau's settings (what the portal publishes), as an administrator changes them on the
/// settings page; every change goes to the audit log.
#[derive(Debug, Subcommand)]
pub enum SettingCommand {
    /// Every setting: name, value, default, range, what it is.
    List {
        #[command(flatten)]
        db: DbArg,
    },
    /// Print a setting's value (every setting and its value without a name).
    Show {
        name: Option<String>,
        #[command(flatten)]
        db: DbArg,
    },
    /// Change a setting.
    #[command(
        after_help = "Settings:\n  public_credit_grades  true|false  the public target look-up shows credit grades \
        (default false)\n  bureau_name           text        the bureau's full name on every page and document \
        (default 人力资源和社会保障局)\n  approve_results       true|false  results wait for the task organizer's approval \
        before publication (default false)\n  document_prefix       text        the bureau's word heading document numbers, \
        e.g. 偃人社监 (default none)\n  inspector_reads_department  true|false  inspectors read their department's other \
        inspections (default false)\n  shared_directory      true|false  every 业务科室 keeps one shared directory of targets \
        (default true; false: each its own)\n  credit_c_violations, credit_c_non_cooperation, \
        credit_c_refused_rectification  the 守法诚信等级 C rules\n\nThe bureau's rules (抽查工作细则; `suiji setting list` gives each one's range):\n  \
        general_item_floor, key_item_floor (percent), yearly_cap, visit_cap, recent_visit_days, publication_workdays, penalty_workdays, \
        weight_a, weight_b, weight_c, weight_unrated, team_size, witness_digits, training_months\n\n\
        Examples:\n  suiji setting set bureau_name 洛阳市偃师区人力资源和社会保障局 --as 系统管理员\n  \
        suiji setting set publication_workdays 15\n  suiji setting set general_item_floor 8%"
    )]
    Set {
        name: String,
        value: String,
        #[command(flatten)]
        db: DbArg,
        #[command(flatten)]
        actor: ActorArg,
    },
}

/// Inspection tasks (抽查任务): list them, and export one's whole file for 归档.
#[derive(Debug, Subcommand)]
pub enum TaskCommand {
    /// List the tasks: number, code, status, title, the department running it.
    List {
        #[command(flatten)]
        db: DbArg,
    },
    /// Write a task's whole file to a .zip: definition, commitment and population, draws,
    /// teams, inspection records with their evidence, publications, its audit entries, and a
    /// manifest of every file's SHA-256.
    #[command(after_help = "Example:\n  suiji task export-archive T-2026-001 --out T-2026-001.zip")]
    ExportArchive {
        /// The task's code (T-2026-001) or number.
        task: String,
        /// The .zip to write.
        #[arg(long)]
        out: PathBuf,
        #[command(flatten)]
        db: DbArg,
    },
    /// 综合查一次: merge the visits two tasks (with teams, results not entered) make to the same
    /// firms into joint visits — one joint team a firm, drawn under suiji-assign/1 over both
    /// tasks' pools with each department's quota (seed <seed A>+<seed B>/merge). Without
    /// --target, every firm both tasks can merge. Prints a line a firm with its joint team.
    #[command(after_help = "Examples:\n  suiji task merge T-2026-001 --with T-2026-003\n  \
        suiji task merge T-2026-001 --with T-2026-003 --target 91410300MA44XXXX0X\n\n\
        Re-check with the files the portal publishes for the merge:\n  \
        suiji verify --merge merge.json --inspectors inspectors.csv --recusals recusals.csv")]
    Merge {
        /// The merging task's code (T-2026-001) or number: its draw's seed comes first.
        task: String,
        /// The other task's code or number.
        #[arg(long)]
        with: String,
        /// A firm both tasks drew (统一社会信用代码); repeat for several.
        #[arg(long = "target")]
        targets: Vec<String>,
        #[command(flatten)]
        db: DbArg,
        #[command(flatten)]
        actor: ActorArg,
    },
}

/// Run the web service: the public portal, the staff pages and the JSON API (/api/v1).
#[derive(Debug, Args)]
#[command(
    after_help = "On an empty database, --demo loads a demo county bureau (3,000 targets, 40 inspectors, \
        the 人社 item list, one account per role) and prints the sign-in names and passwords.\n\n\
        Several `suiji serve` on one PostgreSQL work side by side: sessions and sign-in throttling \
        live in the database. Behind a TLS proxy, have it send X-Forwarded-Proto: https (the \
        session cookie is then Secure) and X-Forwarded-For, and name it with --trusted-proxy: \
        sign-in throttling and the audit log then see each client's own address instead of the \
        proxy's (without it, every user would share the proxy's address). X-Forwarded-For from \
        any other peer is ignored.\n\n\
        Examples:\n  suiji serve --demo\n  suiji serve --db postgres://suiji@db.example/suiji --addr 0.0.0.0:8080\n  \
        suiji serve --trusted-proxy 127.0.0.1 --trusted-proxy 10.1.0.0/16"
)]
pub struct ServeArgs {
    #[command(flatten)]
    pub db: DbArg,
    /// The address to listen on.
    #[arg(long, value_name = "HOST:PORT", env = "SUIJI_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: std::net::SocketAddr,
    /// Load the demo bureau into an empty database first.
    #[arg(long)]
    pub demo: bool,
    /// A reverse proxy (an address or CIDR network) whose X-Forwarded-For is believed; may be
    /// given more than once, or as a comma-separated SUIJI_TRUSTED_PROXIES.
    #[arg(
        long = "trusted-proxy",
        value_name = "CIDR",
        env = "SUIJI_TRUSTED_PROXIES",
        value_delimiter = ',',
        value_parser = parse_network
    )]
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// The Chromium that prints documents to PDF (default: chromium, chromium-browser or
    /// google-chrome on the PATH; without one, documents print from the browser only).
    #[arg(long, value_name = "PATH", env = "SUIJI_CHROMIUM")]
    pub chromium: Option<std::path::PathBuf>,
    /// The most rows an uploaded directory file may have (larger files: `suiji import`).
    #[arg(long, value_name = "ROWS", env = "SUIJI_UPLOAD_MAX_ROWS", default_value_t = 200_000,
          value_parser = clap::value_parser!(u64).range(1..=10_000_000))]
    pub upload_max_rows: u64,
    /// The most an uploaded .xlsx may unpack into, in MiB (an .xlsx is a zip: a few MB can
    /// unpack into gigabytes).
    #[arg(long, value_name = "MIB", env = "SUIJI_UPLOAD_MAX_UNPACKED_MIB", default_value_t = 256,
          value_parser = clap::value_parser!(u64).range(1..=16_384))]
    pub upload_max_unpacked_mib: u64,
    #[command(flatten)]
    pub signing_key: SigningKeyArg,
}

/// The key that signs the audit log's checkpoints.
#[derive(Debug, Args)]
pub struct SigningKeyArg {
    /// The Ed25519 key that signs the audit log's checkpoints: a file kept outside the database
    /// (made on the first start of `suiji serve`; back it up apart from the database; servers
    /// sharing one database share the file).
    #[arg(
        long = "signing-key",
        value_name = "FILE",
        env = "SUIJI_SIGNING_KEY",
        default_value = "suiji-signing.key"
    )]
    pub path: std::path::PathBuf,
}

/// A network (`10.1.0.0/16`) or one address (`127.0.0.1`, `::1`).
fn parse_network(s: &str) -> Result<ipnet::IpNet, String> {
    let s = s.trim();
    s.parse::<ipnet::IpNet>()
        .or_else(|_| s.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
        .map_err(|_| format!("{s:?} is neither an address nor a CIDR network (e.g. 10.1.0.0/16)"))
}

/// Staff accounts: admin (管理员), organizer (牵头科室), unit (业务科室), inspector (执法检查人员),
/// supervisor (监督).
#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add an account. Without --password-stdin a random password is made and printed once.
    #[command(after_help = "Example:\n  suiji user add admin --role admin --name 系统管理员\n  \
        echo 'a long passphrase' | suiji user add zhang.wei --role organizer --name 张伟 --department 劳动保障监察大队 --password-stdin")]
    Add {
        /// The user name to sign in with (letters, digits, '.', '-', '_').
        username: String,
        #[arg(long, value_parser = clap::value_parser!(suiji_domain::access::Role))]
        role: suiji_domain::access::Role,
        /// The name shown in the pages and the audit log (default: the user name).
        #[arg(long)]
        name: Option<String>,
        /// The account's unit (单位/科室).
        #[arg(long)]
        department: Option<String>,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
        #[command(flatten)]
        db: DbArg,
        #[command(flatten)]
        actor: ActorArg,
    },
    /// List the accounts.
    List {
        #[command(flatten)]
        db: DbArg,
    },
    /// Link an inspector's account to its 执法证号, so it sees and enters its team's inspections
    /// (`--none` unlinks it).
    #[command(after_help = "Example:\n  suiji user link-inspector li.ming 豫人社监0003")]
    LinkInspector {
        username: String,
        /// The certificate number in the inspector directory.
        #[arg(required_unless_present = "none")]
        cert_no: Option<String>,
        #[arg(long)]
        none: bool,
        #[command(flatten)]
        db: DbArg,
        #[command(flatten)]
        actor: ActorArg,
    },
    /// Change an account's role, or disable or enable it (disabling signs it out and stops its
    /// tokens). An administrator cannot disable or demote the account it acts as.
    #[command(
        after_help = "Examples:\n  suiji user set zhang.wei --role supervisor\n  suiji user set li.ming --disable\n  \
        suiji user set li.ming --department 社会保险科"
    )]
    Set {
        username: String,
        #[arg(long, value_parser = clap::value_parser!(suiji_domain::access::Role))]
        role: Option<suiji_domain::access::Role>,
        /// Move the account to this department of the organisation (`suiji department list`).
        #[arg(long)]
        department: Option<String>,
        /// Stop the account from signing in.
        #[arg(long, conflicts_with = "enable")]
        disable: bool,
        /// Let a disabled account sign in again.
        #[arg(long)]
        enable: bool,
        #[command(flatten)]
        db: DbArg,
        #[command(flatten)]
        actor: ActorArg,
    },
    /// Lift an account's sign-in lock (after too many failed sign-ins) and forget its failures.
    #[command(after_help = "Example:\n  suiji user unlock zhang.wei")]
    Unlock {
        username: String,
        #[command(flatten)]
        db: DbArg,
        #[command(flatten)]
        actor: ActorArg,
    },
    /// Set an account's password (signing its sessions out and revoking its API tokens).
    #[command(after_help = "Example:\n  suiji user reset-password zhang.wei")]
    ResetPassword {
        username: String,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
        #[command(flatten)]
        db: DbArg,
        #[command(flatten)]
        actor: ActorArg,
    },
}

/// Bearer tokens for API clients (`Authorization: Bearer …`), acting as an account.
#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Issue a token for USERNAME; it is printed once.
    #[command(after_help = "Example:\n  suiji token issue zhang.wei --name 数据同步")]
    Issue {
        username: String,
        /// What the token is for.
        #[arg(long)]
        name: String,
        #[command(flatten)]
        db: DbArg,
        #[command(flatten)]
        actor: ActorArg,
    },
    /// Revoke a token by its number (see `suiji token list`).
    Revoke {
        id: i64,
        #[command(flatten)]
        db: DbArg,
        #[command(flatten)]
        actor: ActorArg,
    },
    /// List the tokens (never the tokens themselves).
    List {
        #[command(flatten)]
        db: DbArg,
    },
}

/// The audit log (全程留痕): every change and sign-in, hash-chained.
#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Re-check the log: the hash chain; every stored checkpoint's signature and root; each
    /// checkpoint given with --checkpoint (saved earlier from the portal) by a consistency
    /// proof; and every current record against the entry that last changed it. Exit 1 naming
    /// each problem.
    #[command(
        after_help = "The log's public key is read from --signing-key when that file exists, or given \
        with --public-key (as the portal shows it); without either, checkpoints are checked against the key \
        they name, which proves less.\n\n\
        Examples:\n  suiji audit verify\n  \
        curl -s https://bureau.example/public/audit/checkpoint > cp-2026-12-01.json\n  \
        suiji audit verify --db postgres://suiji@db/suiji --checkpoint cp-2026-12-01.json --public-key 3b6a…"
    )]
    Verify {
        #[command(flatten)]
        db: DbArg,
        /// A checkpoint saved earlier (the JSON of /public/audit/checkpoint); may be repeated.
        #[arg(long = "checkpoint", value_name = "FILE")]
        checkpoints: Vec<std::path::PathBuf>,
        /// The log's public key, hex (as the portal shows it).
        #[arg(long, value_name = "HEX")]
        public_key: Option<String>,
        #[command(flatten)]
        signing_key: SigningKeyArg,
    },
    /// Sign a checkpoint of the log now and print it (the server signs one daily and after
    /// each publication by itself).
    #[command(after_help = "Example:\n  suiji audit checkpoint --signing-key /etc/suiji/signing.key")]
    Checkpoint {
        #[command(flatten)]
        db: DbArg,
        #[command(flatten)]
        signing_key: SigningKeyArg,
    },
    /// Print the latest entries, newest first.
    Show {
        /// How many.
        #[arg(long, default_value_t = 20)]
        last: u64,
        #[command(flatten)]
        db: DbArg,
    },
}

/// Who makes a change, for the history and the audit log.
#[derive(Debug, Args)]
pub struct ActorArg {
    /// Who makes the change, as the audit log records it (default: cli:LOGIN).
    #[arg(id = "acting_as", long = "as", value_name = "NAME", env = "SUIJI_ACTOR")]
    pub name: Option<String>,
}

impl ActorArg {
    pub fn actor(&self) -> suiji_store::audit::Actor {
        let login = || {
            std::env::var("USER").or_else(|_| std::env::var("USERNAME")).unwrap_or_else(|_| "unknown".into())
        };
        match self.name.as_deref().map(str::trim) {
            Some(name) if !name.is_empty() => suiji_store::audit::Actor::system(name),
            _ => suiji_store::audit::Actor::system(&format!("cli:{}", login())),
        }
    }
}

/// Where the store is: `sqlite://FILE` (created on first use) or `postgres://…`.
#[derive(Debug, Args)]
pub struct DbArg {
    /// The database: sqlite://FILE (created and migrated on first use) or postgres://USER@HOST/DB.
    #[arg(long, value_name = "URL", env = "SUIJI_DB", default_value = suiji_store::DEFAULT_URL)]
    pub db: String,
}

/// The lists of 一单两库, and recusals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ListArg {
    /// 检查对象名录库 (key: 统一社会信用代码).
    Targets,
    /// 执法检查人员名录库 (key: 执法证号).
    Inspectors,
    /// 抽查事项清单 (key: 事项编码).
    Items,
    /// 回避名单 (key: 执法证号 + 统一社会信用代码).
    Recusals,
}

impl From<ListArg> for suiji_domain::directory::ListKind {
    fn from(l: ListArg) -> Self {
        use suiji_domain::directory::ListKind;
        match l {
            ListArg::Targets => ListKind::Targets,
            ListArg::Inspectors => ListKind::Inspectors,
            ListArg::Items => ListKind::Items,
            ListArg::Recusals => ListKind::Recusals,
        }
    }
}

/// A spreadsheet format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FormatArg {
    Csv,
    Xlsx,
}

/// Import a list from CSV or Excel: all rows or none; upsert by key, with history.
#[derive(Debug, Args)]
#[command(after_help = "Headers in Chinese or English (see `suiji template`). CSV in UTF-8 (with or \
        without a BOM) or GB18030/GBK, told apart by itself; .xlsx reads the first sheet unless --sheet.\n\
        Records are matched by key: new ones are added, changed fields go to the record's history \
        (who, when, old → new); a column the file lacks keeps its stored values. If any row is wrong \
        nothing is written: every problem is listed (row as the spreadsheet shows it, column, value, \
        reason) and the exit status is 1.\n\n\
        Examples:\n  \
        suiji import targets 检查对象名录.xlsx\n  \
        suiji import inspectors inspectors.csv --report problems.csv\n  \
        suiji import items 事项清单.xlsx --sheet 2026 --retire-missing --db postgres://postgres@127.0.0.1/suiji")]
pub struct ImportArgs {
    pub list: ListArg,
    /// The file: .csv or .xlsx.
    pub file: PathBuf,
    #[command(flatten)]
    pub db: DbArg,
    /// The sheet of an .xlsx workbook (default: the first).
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
    /// Also write the problems found as CSV (行号,列,值,原因,reason).
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
    /// Retire the records the file does not list (they keep their rows and history).
    #[arg(long)]
    pub retire_missing: bool,
    #[command(flatten)]
    pub actor: ActorArg,
    /// Check industry codes against this official GB/T 4754-2017 table (CSV code,name,level)
    /// instead of by their structure only.
    #[arg(long, value_name = "FILE", env = "SUIJI_INDUSTRIES")]
    pub industries: Option<PathBuf>,
    /// Check region codes against this GB/T 2260 table (CSV code,name,parent) instead of the
    /// built-in one.
    #[arg(long, value_name = "FILE", env = "SUIJI_REGIONS")]
    pub regions: Option<PathBuf>,
}

/// Export a list as CSV (UTF-8 with a BOM) or .xlsx; `suiji import` takes the file back.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
        suiji export targets --out targets.csv\n  \
        suiji export inspectors --format xlsx --out 执法检查人员.xlsx")]
pub struct ExportArgs {
    pub list: ListArg,
    #[command(flatten)]
    pub db: DbArg,
    #[arg(long, value_enum, default_value = "csv")]
    pub format: FormatArg,
    /// Write here instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// Write an empty list with the Chinese headers and a notes row, to fill in and import.
#[derive(Debug, Args)]
#[command(after_help = "Required columns are in red (xlsx) and marked 必填 in the notes row, which \
        import passes over.\n\n\
        Examples:\n  \
        suiji template targets --format xlsx --out 检查对象名录库模板.xlsx\n  \
        suiji template items --format csv > items.csv")]
pub struct TemplateArgs {
    pub list: ListArg,
    #[arg(long, value_enum, default_value = "xlsx")]
    pub format: FormatArg,
    /// Write here instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// China's workday calendar: statutory holidays and adjusted working days (调休).
#[derive(Debug, Subcommand)]
pub enum CalendarCommand {
    /// Print `true` or `false`.
    #[command(
        after_help = "Example:\n  suiji calendar is-workday 2026-10-10   # true: a Saturday made a working day"
    )]
    IsWorkday {
        /// YYYY-MM-DD.
        date: String,
        #[command(flatten)]
        db: DbArg,
    },
    /// Print the date N working days after DATE (DATE itself not counted), as YYYY-MM-DD.
    #[command(after_help = "The 20-working-day publication deadline of an inspection that ended on DATE is \
        `add-workdays DATE 20`.\n\nExample:\n  suiji calendar add-workdays 2026-09-25 20   # 2026-10-29")]
    AddWorkdays {
        /// YYYY-MM-DD.
        date: String,
        n: u32,
        #[command(flatten)]
        db: DbArg,
    },
    /// Store a newly announced year's schedule (replacing what was stored for that year).
    #[command(after_help = "FILE is CSV with the header date,kind,name (kind: off or work), or a \
        holiday-cn JSON file.\n\nExample:\n  suiji calendar import 2027.csv")]
    Import {
        file: PathBuf,
        #[command(flatten)]
        db: DbArg,
        #[command(flatten)]
        actor: ActorArg,
    },
}

/// Draw targets: rank the population by its tickets for SEED and select by a size rule.
#[derive(Debug, Args)]
#[command(
    group(ArgGroup::new("rule").required(true).args(["size", "ratio_bp", "quota"])),
    after_help = "The population CSV has the header id,weight,stratum (weight and stratum optional; \
        UTF-8, with or without a BOM). An entity of weight w gets w tickets: id, id#2, … id#w.\n\n\
        Examples:\n  \
        suiji draw --population examples/population.csv --seed 25646924322630583082 --size 5\n  \
        suiji draw --population examples/population.csv --seed 25646924322630583082/T-2026-001 --ratio-bp 500 --reserve 3 --out draw.json\n  \
        suiji draw --population examples/population.csv --seed 25646924322630583082 --quota 大型=1 --quota 中型=2 --quota 小型=3"
)]
pub struct DrawArgs {
    /// The population CSV (id,weight,stratum).
    #[arg(long, value_name = "FILE")]
    pub population: PathBuf,
    /// The seed: public digits produced after the population was published.
    #[arg(long, value_name = "S")]
    pub seed: String,
    /// Select the first K entities of the ranking.
    #[arg(long, value_name = "K")]
    pub size: Option<u64>,
    /// Select ceil(N × R / 10000) entities; R in basis points, 1 to 10000 (500 = 5%).
    #[arg(long, value_name = "R")]
    pub ratio_bp: Option<u32>,
    /// Select Q entities of STRATUM, in ranking order (repeat for each stratum).
    #[arg(long, value_name = "STRATUM=Q", value_parser = parse_pair::<u64>)]
    pub quota: Vec<(String, u64)>,
    /// Also rank the next N unselected entities, to replace selected ones found gone.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub reserve: u64,
    /// Write the draw document here instead of standard output (written only when complete).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// Assign a team of inspectors to every target of a draw.
#[derive(Debug, Args)]
#[command(
    group(ArgGroup::new("team").required(true).args(["team_size", "require"])),
    after_help = "Inspectors CSV: id,department. Recusals CSV (回避): inspector_id,target_id.\n\
        For each target in rank order, candidates are ordered by (load, ticket(SEED/target, inspector id), id).\n\n\
        Examples:\n  \
        suiji assign --draw draw.json --inspectors examples/inspectors.csv --recusals examples/recusals.csv --team-size 2\n  \
        suiji assign --draw draw.json --inspectors examples/inspectors.csv --require 劳动保障监察大队=1 --require 社会保险科=1 --max-load 3"
)]
pub struct AssignArgs {
    /// The draw document (suiji-draw/1).
    #[arg(long, value_name = "FILE")]
    pub draw: PathBuf,
    /// The inspector pool CSV (id,department).
    #[arg(long, value_name = "FILE")]
    pub inspectors: PathBuf,
    /// The recusals CSV (inspector_id,target_id).
    #[arg(long, value_name = "FILE")]
    pub recusals: Option<PathBuf>,
    /// Inspectors per team, from anywhere in the pool (at least 2).
    #[arg(long, value_name = "G")]
    pub team_size: Option<u32>,
    /// A joint team: N inspectors of DEPT (repeat for each department).
    #[arg(long, value_name = "DEPT=N", value_parser = parse_pair::<u32>)]
    pub require: Vec<(String, u32)>,
    /// No inspector is on more than M teams.
    #[arg(long, value_name = "M")]
    pub max_load: Option<u32>,
    /// Write the assignment document here instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// Recompute a published draw (and its assignment) and compare every field.
#[derive(Debug, Args)]
#[command(after_help = "Exit status 0: everything matches. 1: the first difference is named \
        (population hash, a rank, a team). 2: an input cannot be read.\n\n\
        Examples:\n  \
        suiji verify --draw draw.json --population examples/population.csv\n  \
        suiji verify --draw draw.json --population examples/population.csv --assignment teams.json --inspectors examples/inspectors.csv --recusals examples/recusals.csv\n  \
        suiji verify --draw draw.json --population population.csv --control control.json --targets targets.json --assignment assignment.json --inspectors inspectors.csv --recusals recusals.csv\n  \
        suiji verify --merge merge.json --inspectors inspectors.csv --recusals recusals.csv")]
#[command(group = clap::ArgGroup::new("assignment_or_merge").args(["assignment", "merge"]).multiple(false))]
pub struct VerifyArgs {
    /// The draw document to check.
    #[arg(long, value_name = "FILE", required_unless_present = "merge")]
    pub draw: Option<PathBuf>,
    /// The population file the draw was made from.
    #[arg(long, value_name = "FILE", required_unless_present = "merge")]
    pub population: Option<PathBuf>,
    /// The control sample (对照样本, control.json) drawn beside the draw, to check as well: it
    /// is recomputed from the population less the draw's selected and reserve entities.
    #[arg(long, value_name = "FILE", requires = "draw")]
    pub control: Option<PathBuf>,
    /// The targets the teams were assigned to (targets.json: the selection after replacements,
    /// then the control sample): each is checked to be an unchanged entry of the draw (or of
    /// `--control`), and the assignment is recomputed from them instead of from the draw.
    #[arg(long, value_name = "FILE", requires = "assignment")]
    pub targets: Option<PathBuf>,
    /// The assignment document to check as well.
    #[arg(long, value_name = "FILE", requires = "inspectors")]
    pub assignment: Option<PathBuf>,
    /// The inspector pool the assignment (or the merge) was made from.
    #[arg(long, value_name = "FILE", requires = "assignment_or_merge")]
    pub inspectors: Option<PathBuf>,
    /// The recusals the assignment (or the merge) was made with.
    #[arg(long, value_name = "FILE", requires = "assignment_or_merge")]
    pub recusals: Option<PathBuf>,
    /// A member's replacement on a team (更换检查组成员) to check against the assignment's pool;
    /// repeat for each.
    #[arg(long, value_name = "FILE", requires = "inspectors")]
    pub replacement: Vec<PathBuf>,
    /// A merge's joint teams (合并检查, merge.json) to check against its own inspectors.csv and
    /// recusals.csv, instead of a draw.
    #[arg(long, value_name = "FILE", requires = "inspectors", conflicts_with_all = ["draw", "population", "assignment", "replacement", "control", "targets"])]
    pub merge: Option<PathBuf>,
}

/// Parses `NAME=N`, splitting at the last `=` so that a name may contain one.
fn parse_pair<N: std::str::FromStr>(s: &str) -> Result<(String, N), String> {
    let (name, n) = s.rsplit_once('=').ok_or_else(|| format!("expected NAME=NUMBER, found {s:?}"))?;
    let n = n.trim().parse().map_err(|_| format!("{n:?} is not a whole number"))?;
    Ok((name.to_owned(), n))
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_command_line_is_well_formed() {
        // clap's own checks (unique argument ids, valid groups…), which otherwise fire only
        // when a debug build parses the command that breaks them.
        <super::Cli as clap::CommandFactory>::command().debug_assert();
    }
}
