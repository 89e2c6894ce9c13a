//! 年度“双随机、一公开”工作总结: every figure of the year beside the year before, per
//! department and per item, the plans against what was done, and a narrative with the numbers
//! filled in for the staff to finish (seeds 000 四(四), 004 三(四)).

use crate::document::{Cell, Report, Section, Table};
use crate::{ReportError, basis};
use suiji_domain::stats::{Group, Period, Share};
use suiji_store::Store;
use suiji_store::workflow as wf;

/// A change from last year as people write it: "+3", "−1", "持平"; a rate's in points.
fn change(this: i64, last: i64) -> String {
    match this - last {
        0 => "持平".to_owned(),
        d if d > 0 => format!("+{d}"),
        d => format!("−{}", -d),
    }
}

fn rate_change(this: &Share, last: &Share) -> String {
    match (this.rate_bp, last.rate_bp) {
        (Some(a), Some(b)) if a == b => "持平".to_owned(),
        (Some(a), Some(b)) => {
            let d = i64::from(a) - i64::from(b);
            let points = suiji_domain::directory::percent(d.unsigned_abs() as u32);
            format!("{}{} 个百分点", if d > 0 { "+" } else { "−" }, points.trim_end_matches('%'))
        }
        _ => "—".to_owned(),
    }
}

/// Groups as rows of (name, share), the first `limit`; the code beside the name where it is one
/// people look up (a region's, an industry's), not where the name already says it.
fn group_rows(t: &mut Table, groups: &[Group], limit: usize, coded: bool) {
    for g in groups.iter().take(limit) {
        let name = if !coded || g.key.is_empty() || g.key == g.name {
            g.name.clone()
        } else {
            format!("{}（{}）", g.name, g.key)
        };
        t.row(vec![Cell::Text(name), Cell::Share(g.share)]);
    }
}

/// The summary of `year`.
pub async fn annual_report(
    store: &Store,
    year: i32,
    made_on: chrono::NaiveDate,
) -> Result<Report, ReportError> {
    if !(2000..=2100).contains(&year) {
        return Err(ReportError::Year(year));
    }
    let period = Period::year(year).ok_or(ReportError::Year(year))?;
    let last_period = Period::year(year - 1).ok_or(ReportError::Year(year))?;
    let s = suiji_store::stats::stats(store, &period, None).await?;
    let l = suiji_store::stats::stats(store, &last_period, None).await?;
    let settings = suiji_store::settings::load(store).await?;

    // 一、总体情况: the narrative, numbers filled in.
    let s1 = Section::new("一、总体情况")
        .text(format!(
            "{year}年，{}共开展“双随机、一公开”抽查任务 {} 项，抽取检查对象 {} 户，占名录库正常经营检查对象 {} 户的 {}；办结检查 {} 户次，发现问题 {} 户次，问题发现率 {}。",
            settings.bureau_name,
            s.tasks,
            s.coverage.drawn.part,
            s.coverage.drawn.whole,
            s.coverage.drawn.percent(),
            s.findings.found.whole,
            s.findings.found.part,
            s.findings.found.percent(),
        ))
        .text(format!(
            "对发现的问题，责令整改 {} 户，复查整改到位 {} 户，转立案查处或移送 {} 户；作出行政处罚 {} 件，移送有关部门 {} 件。检查结果按时公示率 {}，自检查结束至公示的天数中位数为 {}。",
            s.handling.rectifications,
            s.handling.rectified,
            s.handling.escalated,
            s.handling.penalties,
            s.handling.referrals,
            s.timeliness.results_on_time.percent(),
            s.timeliness.results_median_days.map_or_else(|| "—".to_owned(), |d| format!("{d} 天")),
        ))
        .text(format!(
            "名录库中尚有 {} 户正常经营的检查对象从未被抽中，应在今后的抽查中优先覆盖，力争尽快实现全覆盖。",
            s.coverage.never_drawn
        ))
        .blank("本年度主要工作措施、成效和典型做法");

    // 二、主要指标与上年对比
    let mut main =
        Table::new("主要指标与上年对比", &["指标", &format!("{}年", year - 1), &format!("{year}年"), "增减"]);
    let count = |t: &mut Table, name: &str, this: u64, last: u64| {
        t.row(vec![
            Cell::text(name),
            Cell::Count(last),
            Cell::Count(this),
            Cell::Text(change(this as i64, last as i64)),
        ]);
    };
    let rate = |t: &mut Table, name: &str, this: &Share, last: &Share| {
        t.row(vec![
            Cell::text(name),
            Cell::Rate(*last),
            Cell::Rate(*this),
            Cell::Text(rate_change(this, last)),
        ]);
    };
    count(&mut main, "抽查任务（项）", s.tasks, l.tasks);
    count(&mut main, "抽取检查对象（户）", s.coverage.drawn.part, l.coverage.drawn.part);
    rate(&mut main, "抽查覆盖率", &s.coverage.drawn, &l.coverage.drawn);
    count(&mut main, "办结检查（户次）", s.findings.found.whole, l.findings.found.whole);
    count(&mut main, "发现问题（户次）", s.findings.found.part, l.findings.found.part);
    rate(&mut main, "问题发现率", &s.findings.found, &l.findings.found);
    count(&mut main, "责令整改（户）", s.handling.rectifications, l.handling.rectifications);
    count(&mut main, "整改到位（户）", s.handling.rectified, l.handling.rectified);
    count(&mut main, "行政处罚（件）", s.handling.penalties, l.handling.penalties);
    count(&mut main, "移送（件）", s.handling.referrals, l.handling.referrals);
    rate(&mut main, "检查结果按时公示率", &s.timeliness.results_on_time, &l.timeliness.results_on_time);
    rate(&mut main, "双随机抽查占全部检查的比例", &s.kinds.random, &l.kinds.random);
    let s2 = Section::new("二、主要指标").table(main);

    // 三、抽查覆盖
    let mut by_region = Table::new("按行政区划", &["行政区划", "抽中 / 正常经营"]).charted(1);
    group_rows(&mut by_region, &s.coverage.by_region, 50, true);
    let mut by_industry = Table::new("按行业门类", &["行业门类", "抽中 / 正常经营"]).charted(1);
    group_rows(&mut by_industry, &s.coverage.by_industry, 30, true);
    let mut by_scale = Table::new("按企业规模", &["规模", "抽中 / 正常经营"]).charted(1);
    group_rows(&mut by_scale, &s.coverage.by_scale, 10, false);
    let mut last_drawn = Table::new("检查对象最近一次被抽中的年度", &["年度", "户数 / 正常经营"]).charted(1);
    group_rows(&mut last_drawn, &s.coverage.last_drawn, 30, false);
    let s3 =
        Section::new("三、抽查覆盖").table(by_region).table(by_industry).table(by_scale).table(last_drawn);

    // 四、检查事项
    let mut items =
        Table::new("各检查事项抽查比例", &["检查事项", "任务数", "抽取 / 总体", "最低比例", "是否达到"]);
    for i in &s.items {
        items.row(vec![
            Cell::Text(format!("{} {}", i.code, i.name)),
            Cell::Count(i.tasks),
            Cell::Share(i.drawn),
            Cell::Text(i.least_bp.map(suiji_domain::directory::percent).unwrap_or_else(|| "—".into())),
            Cell::text(match i.meets {
                Some(true) => "达到",
                Some(false) => "未达到",
                None => "—",
            }),
        ]);
    }
    let mut item_findings =
        Table::new("各检查事项发现问题情况", &["检查事项", "不符合规定 / 已检查"]).charted(1);
    for g in &s.findings.by_item {
        item_findings.row(vec![Cell::Text(format!("{} {}", g.key, g.name)), Cell::Share(g.share)]);
    }
    let s4 = Section::new("四、检查事项").table(items).table(item_findings);

    // 五、发现问题
    let mut conclusions = Table::new("检查结论", &["结论", "户次 / 已办结"]).charted(1);
    group_rows(&mut conclusions, &s.findings.by_conclusion, 10, false);
    let mut grades = Table::new("按守法诚信等级", &["等级", "发现问题 / 已办结"]).charted(1);
    group_rows(&mut grades, &s.findings.by_grade, 10, false);
    let mut classes = Table::new("按信用风险分类", &["分类", "发现问题 / 已办结"]).charted(1);
    group_rows(&mut classes, &s.findings.by_risk_class, 10, false);
    let mut s5 = Section::new("五、发现问题").table(conclusions).table(grades).table(classes);
    if s.findings.control.whole > 0 {
        s5 = s5.text(format!(
            "设置对照样本的定向抽查中，定向抽取的检查发现问题 {}，对照样本 {}。",
            s.findings.directed.percent(),
            s.findings.control.percent()
        ));
    }

    // 六、各部门情况
    let mut names: std::collections::BTreeSet<String> = wf::departments(store).await?.into_iter().collect();
    names.extend(s.workload.by_department.iter().map(|g| g.key.clone()).filter(|k| !k.is_empty()));
    let mut departments = Table::new(
        "各部门抽查情况",
        &["部门", "任务（项）", "抽取（户）", "办结（户次）", "发现问题 / 办结", "按时公示"],
    );
    for d in &names {
        let ds = suiji_store::stats::stats(store, &period, Some(d)).await?;
        if ds.tasks == 0 && ds.findings.found.whole == 0 {
            continue;
        }
        departments.row(vec![
            Cell::text(d),
            Cell::Count(ds.tasks),
            Cell::Count(ds.coverage.drawn.part),
            Cell::Count(ds.findings.found.whole),
            Cell::Share(ds.findings.found),
            Cell::Rate(ds.timeliness.results_on_time),
        ]);
    }
    let mut inspectors = Table::new("检查人员工作量（前 20 名）", &["检查人员", "办结检查（户次）"]);
    for g in s.workload.by_inspector.iter().take(20) {
        inspectors.row(vec![Cell::text(&g.name), Cell::Count(g.share.part)]);
    }
    let s6 = Section::new("六、各部门和检查人员").table(departments).table(inspectors).text(format!(
        "全年更换检查组成员 {} 人次，以备选对象替换被抽中对象 {} 户，在册回避关系 {} 项。",
        s.workload.member_changes, s.workload.target_replacements, s.workload.recusals
    ));

    // 七、年度计划执行情况
    let mut plan_table = Table::new(
        "年度抽查计划执行情况",
        &["部门", "计划事项", "计划户数", "任务", "抽取（户）", "已检查（户）", "已公示（户）"],
    );
    for plan in wf::plans(store, false).await?.into_iter().filter(|p| p.year == year) {
        for line in wf::execution(store, &plan).await? {
            let planned = match (line.expected_count, line.expected_ratio_bp) {
                (Some(n), _) => n.to_string(),
                (None, Some(bp)) => suiji_domain::directory::percent(bp),
                _ => "—".to_owned(),
            };
            plan_table.row(vec![
                Cell::text(&plan.department),
                Cell::Text(format!("{} {}", line.item, line.item_name)),
                Cell::Text(planned),
                Cell::Text(if line.tasks.is_empty() { "—".into() } else { line.tasks.join("、") }),
                Cell::Count(line.drawn),
                Cell::Count(line.inspected),
                Cell::Count(line.published),
            ]);
        }
    }
    let s7 = Section::new("七、年度计划执行情况").table(plan_table);

    // 八、处理与公示
    let mut handling = Table::new("处理情况", &["事项", "数量"]);
    for (k, v) in [
        ("责令整改", s.handling.rectifications),
        ("整改到位", s.handling.rectified),
        ("整改不到位转立案或移送", s.handling.escalated),
        ("行政处罚", s.handling.penalties),
        ("移送有关部门", s.handling.referrals),
    ] {
        handling.row(vec![Cell::text(k), Cell::Count(v)]);
    }
    for g in &s.handling.listed {
        handling.row(vec![Cell::Text(format!("列入{}", g.name)), Cell::Count(g.share.part)]);
    }
    let mut timeliness = Table::new("公示时效", &["公示内容", "按时 / 全部", "天数中位数"]).charted(1);
    timeliness.row(vec![
        Cell::text("检查结果（检查结束后 20 个工作日内）"),
        Cell::Share(s.timeliness.results_on_time),
        Cell::Days(s.timeliness.results_median_days),
    ]);
    timeliness.row(vec![
        Cell::text("行政处罚信息（作出决定后 7 个工作日内）"),
        Cell::Share(s.timeliness.penalties_on_time),
        Cell::Days(s.timeliness.penalties_median_days),
    ]);
    let s8 = Section::new("八、问题处理和结果公示").table(handling).table(timeliness);

    let s9 = Section::new("九、存在的问题和下一步工作").blank("存在的主要问题").blank("下一年度工作安排");

    Ok(Report {
        title: format!("{year}年度“双随机、一公开”工作总结"),
        subject: format!("统计期间：{year}年1月1日至{year}年12月31日"),
        bureau: settings.bureau_name,
        made_on,
        basis: basis(store).await?,
        sections: vec![s1, s2, s3, s4, s5, s6, s7, s8, s9],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_are_written_as_people_write_them() {
        assert_eq!(change(5, 3), "+2");
        assert_eq!(change(3, 5), "−2");
        assert_eq!(change(3, 3), "持平");
        assert_eq!(rate_change(&Share::new(3, 10), &Share::new(1, 10)), "+20 个百分点");
        assert_eq!(rate_change(&Share::new(1, 8), &Share::new(1, 4)), "−12.5 个百分点");
        assert_eq!(rate_change(&Share::new(0, 0), &Share::new(1, 4)), "—");
    }
}
