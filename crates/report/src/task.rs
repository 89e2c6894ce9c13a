//! 任务总结报告: one task from its scope to what became of its findings — scope and rules, the
//! commitment and the draw, the teams, the results by conclusion and by item, the handling, the
//! rectifications and what is overdue — for the bureau's leaders (seed 003 二(八)).

use crate::document::{Cell, Report, Section, Table, written_day};
use crate::{ReportError, basis};
use suiji_domain::stats::Share;
use suiji_domain::workflow::{Conclusion, SizeSpec, TaskKind};
use suiji_store::Store;
use suiji_store::workflow as wf;

/// The most rows a list in the report holds (teams, rectifications, overdue results); a longer
/// one says how many were left out and where they are.
pub const LIST_ROWS: usize = 300;

fn size_words(size: &SizeSpec) -> String {
    match size {
        SizeSpec::Count(n) => format!("抽取 {n} 户"),
        SizeSpec::RatioBp(bp) => format!("抽取符合条件对象的 {}", suiji_domain::directory::percent(*bp)),
        SizeSpec::Quotas(q) => {
            let parts: Vec<String> = q.iter().map(|(k, n)| format!("{k} 层 {n} 户")).collect();
            format!("分层定额：{}", parts.join("，"))
        }
        SizeSpec::Shares(s) => format!("分层比例（{} 层，各层比例及最低户数见抽取记录）", s.len()),
    }
}

/// Rows left out of a list, said under it.
fn cut<T>(rows: &[T], what: &str) -> Option<String> {
    (rows.len() > LIST_ROWS)
        .then(|| format!("仅列前 {LIST_ROWS} {what}，共 {} {what}；全部见系统。", rows.len()))
}

/// The report on task `code`.
pub async fn task_report(
    store: &Store,
    code: &str,
    made_on: chrono::NaiveDate,
) -> Result<Report, ReportError> {
    let task = wf::task_by_code(store, code).await?;
    let def = &task.definition;
    let settings = suiji_store::settings::load(store).await?;
    let items = wf::task_items(store, &def.items).await?;
    let item_name =
        |code: &str| items.iter().find(|i| i.code == code).map(|i| i.name.clone()).unwrap_or_default();
    let draws = wf::draws_of(store, task.id).await?;
    let valid = draws.iter().find(|d| d.status == "valid");
    let inspections = wf::inspections_of_task(store, task.id).await?;
    let stats = suiji_store::stats::task_stats(store, task.id).await?;

    // 一、任务概况
    let mut scope = Table::new("任务基本情况", &["项目", "内容"]);
    let mut fact = |k: &str, v: String| scope.row(vec![Cell::text(k), Cell::Text(v)]);
    fact("任务编号", task.code.clone());
    fact("任务名称", def.title.clone());
    fact("任务类型", def.kind.zh().to_owned());
    fact("主办部门", task.department.clone());
    if def.departments.len() > 1 {
        fact("联合部门", def.departments.join("、"));
    }
    fact(
        "检查事项",
        def.items.iter().map(|c| format!("{c} {}", item_name(c))).collect::<Vec<_>>().join("；"),
    );
    fact(
        "检查对象范围",
        if def.eligibility.is_directed() {
            "定向（条件见任务公示）".into()
        } else {
            "不定向：全部正常经营的检查对象".into()
        },
    );
    fact(
        "抽取数量",
        format!(
            "{}；备选 {} 户{}",
            size_words(&def.size),
            def.reserve,
            if def.control > 0 { format!("；对照样本 {} 户", def.control) } else { String::new() }
        ),
    );
    fact("检查时间", format!("{} 至 {}", written_day(def.window_start), written_day(def.window_end)));
    fact("任务状态", task.status.zh().to_owned());
    let mut s1 = Section::new("一、任务概况").table(scope);
    if def.kind == TaskKind::Triggered {
        s1 = s1.text("本任务为触发式检查，不计入双随机抽查比例。");
    }

    // 二、公示承诺与抽取
    let mut s2 = Section::new("二、公示承诺与随机抽取");
    match (task.published_at, &task.population_sha256, task.population_size) {
        (Some(at), Some(sha), Some(n)) => {
            s2 = s2.text(format!(
                "任务于 {} 公示，承诺检查对象总体 {n} 户（总体文件 SHA-256：{sha}）{}。",
                written_day(suiji_store::audit::china_day(at)),
                task.at_cap
                    .filter(|n| *n > 0)
                    .map(|n| format!("；已达年度检查上限排除 {n} 户"))
                    .unwrap_or_default()
            ));
        }
        _ => s2 = s2.text("任务尚未公示，未作出抽取承诺。"),
    }
    match valid {
        Some(d) => {
            let witnesses: Vec<&str> = d.contributions.iter().map(|c| c.name.as_str()).collect();
            let seed = if d.seed_source == "witnesses" {
                format!("由见证人 {} 现场提供随机数", witnesses.join("、"))
            } else {
                "由系统生成随机种子".to_owned()
            };
            s2 = s2.text(format!(
                "抽取于 {} 进行，{seed}，种子 {}。抽中 {} 户，备选 {} 户{}；以备选替换 {} 户。抽取记录可在门户网站用公开工具复核。",
                written_day(suiji_store::audit::china_day(d.drawn_at)),
                d.seed,
                d.document.selected.len(),
                d.document.reserve.len(),
                d.control.as_ref().map(|c| format!("，对照样本 {} 户", c.selected.len())).unwrap_or_default(),
                d.replacements.len(),
            ));
        }
        None => s2 = s2.text("尚无有效抽取。"),
    }
    let annulled = draws.iter().filter(|d| d.status == "annulled").count();
    if annulled > 0 {
        s2 = s2.text(format!("另有作废的抽取 {annulled} 次，作废理由见抽取记录。"));
    }

    // 三、检查组
    let mut teams =
        Table::new("检查组及检查状态", &["序号", "检查对象", "统一社会信用代码", "检查人员", "状态"]);
    let mut ordered: Vec<&wf::InspectionView> =
        inspections.iter().filter(|i| i.follow_up_of.is_none()).collect();
    ordered.sort_by_key(|i| (i.rank, i.id));
    for i in ordered.iter().take(LIST_ROWS) {
        let members: Vec<&str> = i.members.iter().map(|(_, n)| n.as_str()).collect();
        teams.row(vec![
            Cell::Count(i.rank as u64),
            Cell::text(&i.target_name),
            Cell::Code(i.uscc.clone()),
            Cell::Text(members.join("、")),
            Cell::text(wf::status_zh(&i.status)),
        ]);
    }
    if let Some(note) = cut(&ordered, "户") {
        teams = teams.noted(note);
    }
    let inspectors: std::collections::BTreeSet<&str> =
        ordered.iter().flat_map(|i| i.members.iter().map(|(c, _)| c.as_str())).collect();
    let s3 = Section::new("三、检查组")
        .text(format!(
            "共组成检查组 {} 个，参与检查人员 {} 名；更换检查组成员 {} 人次。",
            ordered.len(),
            inspectors.len(),
            stats.workload.member_changes
        ))
        .table(teams);

    // 四、检查结果
    let f = &stats.findings;
    let mut by_conclusion = Table::new("检查结论", &["结论", "户次", "占已办结"]).charted(2);
    for c in Conclusion::ALL {
        let g = f.by_conclusion.iter().find(|g| g.key == c.code());
        let n = g.map_or(0, |g| g.share.part);
        by_conclusion.row(vec![
            Cell::text(c.zh()),
            Cell::Count(n),
            Cell::Share(Share::new(n, f.found.whole)),
        ]);
    }
    let mut by_item = Table::new("各检查事项发现问题情况", &["检查事项", "不符合规定 / 已检查"]).charted(1);
    for g in &f.by_item {
        by_item.row(vec![Cell::Text(format!("{} {}", g.key, g.name)), Cell::Share(g.share)]);
    }
    let mut s4 = Section::new("四、检查结果")
        .text(format!(
            "应检查 {} 户，已办结 {} 户（其中未能检查 {} 户），发现问题 {} 户，问题发现率 {}。",
            ordered.len(),
            f.found.whole,
            f.not_inspectable,
            f.found.part,
            f.found.percent()
        ))
        .table(by_conclusion)
        .table(by_item);
    if f.control.whole > 0 {
        s4 = s4.text(format!(
            "定向抽取的检查发现问题 {} / {}（{}），对照样本 {} / {}（{}）。",
            f.directed.part,
            f.directed.whole,
            f.directed.percent(),
            f.control.part,
            f.control.whole,
            f.control.percent()
        ));
    }

    // 五、处理情况 and 六、整改情况
    let h = &stats.handling;
    let rectifications: Vec<wf::RectificationView> =
        wf::rectifications(store, None).await?.into_iter().filter(|r| r.task_id == task.id).collect();
    let open = rectifications
        .iter()
        .filter(|r| r.status == suiji_domain::workflow::RectificationStatus::Open)
        .count();
    let overdue = rectifications.iter().filter(|r| r.overdue).count();
    let mut handling = Table::new("处理情况", &["事项", "数量"]);
    for (k, v) in [
        ("责令整改", h.rectifications),
        ("整改到位", h.rectified),
        ("整改不到位转立案或移送", h.escalated),
        ("整改中", open as u64),
        ("其中逾期未复查", overdue as u64),
        ("行政处罚", h.penalties),
        ("移送有关部门", h.referrals),
    ] {
        handling.row(vec![Cell::text(k), Cell::Count(v)]);
    }
    let s5 = Section::new("五、处理情况").table(handling);
    let mut rect = Table::new("整改情况", &["检查对象", "整改期限", "状态", "复查结果"]);
    for r in rectifications.iter().take(LIST_ROWS) {
        rect.row(vec![
            Cell::text(&r.target_name),
            Cell::Text(written_day(r.deadline_in_force)),
            Cell::Text(format!("{}{}", r.status.zh(), if r.overdue { "（已逾期）" } else { "" })),
            Cell::text(r.outcome.map(|o| o.zh()).unwrap_or("—")),
        ]);
    }
    if let Some(note) = cut(&rectifications, "项") {
        rect = rect.noted(note);
    }
    let s6 = Section::new("六、整改情况").table(rect);

    // 七、公示时效与逾期
    let today = wf::china_today();
    let late: Vec<&&wf::InspectionView> = ordered
        .iter()
        .filter(|i| matches!(i.status.as_str(), "assigned" | "entered" | "returned"))
        .filter(|i| i.publish_by.is_some_and(|d| d < today))
        .collect();
    let mut overdue_table = Table::new("逾期未公示的检查结果", &["检查对象", "应公示日期", "状态"]);
    for i in late.iter().take(LIST_ROWS) {
        overdue_table.row(vec![
            Cell::text(&i.target_name),
            Cell::Text(i.publish_by.map(written_day).unwrap_or_default()),
            Cell::text(wf::status_zh(&i.status)),
        ]);
    }
    if let Some(note) = cut(&late, "户") {
        overdue_table = overdue_table.noted(note);
    }
    let t = &stats.timeliness;
    let s7 = Section::new("七、结果公示时效")
        .text(format!(
            "检查结果按时公示 {} / {}（{}），自检查结束至公示的天数中位数为 {}；行政处罚信息按时公示 {} / {}（{}）。",
            t.results_on_time.part,
            t.results_on_time.whole,
            t.results_on_time.percent(),
            t.results_median_days.map_or_else(|| "—".to_owned(), |d| format!("{d} 天")),
            t.penalties_on_time.part,
            t.penalties_on_time.whole,
            t.penalties_on_time.percent(),
        ))
        .table(overdue_table);

    let s8 = Section::new("八、工作评估与建议")
        .text(format!("本任务共发现问题 {} 户，处理情况详见第五、六部分。", f.found.part))
        .blank("任务组织实施情况、发现的主要问题及原因分析")
        .blank("对抽查工作的评估和下一步工作建议");

    Ok(Report {
        title: "“双随机、一公开”抽查任务总结报告".to_owned(),
        subject: format!("{}　{}", task.code, def.title),
        bureau: settings.bureau_name,
        made_on,
        basis: basis(store).await?,
        sections: vec![s1, s2, s3, s4, s5, s6, s7, s8],
    })
}
