//! A report as a Word document (`.docx`) the bureau can edit and sign: A4, 宋体 text, 黑体
//! headings, tables with their numbers and a bar of ten squares for each charted share (a
//! document edited in any word processor keeps text bars; drawings would not survive).

use crate::document::{Block, Cell, Report, Table, text_bar, written_day};
use docx_rs::{
    AlignmentType, Docx, Footer, LineSpacing, PageMargin, PageNum, Paragraph, Run, RunFonts, Shading,
    TableCell, TableRow, WidthType,
};

/// A4 in twentieths of a point, and the margins of a 公文 page (about 37, 35, 28 and 26 mm).
const PAGE: (u32, u32) = (11_906, 16_838);
const MARGIN: (i32, i32, i32, i32) = (2_098, 1_984, 1_587, 1_474);
const TEXT_WIDTH: usize = 11_906 - 1_587 - 1_474;

fn fonts(east_asia: &str) -> RunFonts {
    RunFonts::new().east_asia(east_asia).ascii("Times New Roman").hi_ansi("Times New Roman")
}

/// Text in 宋体 at `half_points` (24 = 小四号).
fn run(text: &str, half_points: usize) -> Run {
    Run::new().add_text(text).size(half_points).fonts(fonts("SimSun"))
}

fn heading(text: &str) -> Paragraph {
    Paragraph::new()
        .add_run(Run::new().add_text(text).size(32).fonts(fonts("SimHei")))
        .keep_next(true)
        .line_spacing(LineSpacing::new().before(240).after(120))
}

/// A paragraph of body text, indented two characters as Chinese documents are.
fn body(text: &str) -> Paragraph {
    Paragraph::new().add_run(run(text, 28)).first_line_chars(200).line_spacing(LineSpacing::new().line(440))
}

/// The report as `.docx` bytes.
pub fn write(report: &Report) -> Result<Vec<u8>, crate::ReportError> {
    let mut doc = Docx::new()
        .page_size(PAGE.0, PAGE.1)
        .page_margin(PageMargin::new().top(MARGIN.0).bottom(MARGIN.1).left(MARGIN.2).right(MARGIN.3))
        .default_fonts(fonts("SimSun"))
        .footer(
            Footer::new()
                .add_paragraph(Paragraph::new().align(AlignmentType::Center).add_page_num(PageNum::new())),
        )
        .add_paragraph(
            Paragraph::new()
                .align(AlignmentType::Center)
                .add_run(Run::new().add_text(&report.title).size(44).fonts(fonts("SimHei")))
                .line_spacing(LineSpacing::new().after(200)),
        )
        .add_paragraph(Paragraph::new().align(AlignmentType::Center).add_run(run(&report.subject, 32)))
        .add_paragraph(
            Paragraph::new()
                .align(AlignmentType::Center)
                .add_run(run(&format!("{}　{}", report.bureau, written_day(report.made_on)), 28))
                .line_spacing(LineSpacing::new().after(240)),
        )
        .add_paragraph(
            Paragraph::new()
                .add_run(run(&report.basis.sentence(), 21).color("555555"))
                .line_spacing(LineSpacing::new().after(240)),
        );
    for section in &report.sections {
        doc = doc.add_paragraph(heading(&section.heading));
        for block in &section.blocks {
            doc = match block {
                Block::Text(t) => doc.add_paragraph(body(t)),
                Block::Blank(what) => doc.add_paragraph(
                    Paragraph::new()
                        .add_run(run(&format!("【请填写：{what}】"), 28).color("C00000"))
                        .first_line_chars(200),
                ),
                Block::Table(t) => {
                    let doc = doc.add_paragraph(
                        Paragraph::new()
                            .add_run(run(&t.caption, 24).bold())
                            .keep_next(true)
                            .line_spacing(LineSpacing::new().before(120).after(60)),
                    );
                    let doc = doc.add_table(table(t));
                    match &t.note {
                        Some(note) => {
                            doc.add_paragraph(Paragraph::new().add_run(run(note, 20).color("555555")))
                        }
                        None => doc.add_paragraph(Paragraph::new()),
                    }
                }
            };
        }
    }
    let mut out = std::io::Cursor::new(Vec::new());
    doc.build().pack(&mut out).map_err(|e| crate::ReportError::Write(e.to_string()))?;
    Ok(out.into_inner())
}

fn table(t: &Table) -> docx_rs::Table {
    let mut head: Vec<String> = t.head.clone();
    if t.chart.is_some() {
        head.push("图示".to_owned());
    }
    // Each column as wide as its longest text asks (within bounds), so a column of names or
    // sentences gets the room and a column of counts does not.
    let written: Vec<Vec<String>> = t.rows.iter().map(|r| r.iter().map(Cell::written).collect()).collect();
    let weights: Vec<usize> = (0..head.len())
        .map(|c| {
            let longest =
                written.iter().filter_map(|r| r.get(c)).map(|s| s.chars().count()).max().unwrap_or(0);
            let chart = t.chart.is_some() && c == head.len() - 1;
            if chart { 10 } else { longest.max(head[c].chars().count()).clamp(4, 30) }
        })
        .collect();
    let total: usize = weights.iter().sum();
    let grid: Vec<usize> = weights.iter().map(|w| TEXT_WIDTH * w / total).collect();
    let cell = |text: &str, right: bool, shaded: bool| {
        let p = Paragraph::new()
            .align(if right { AlignmentType::Right } else { AlignmentType::Left })
            .add_run(if shaded { run(text, 21).bold() } else { run(text, 21) });
        let c = TableCell::new().add_paragraph(p);
        if shaded { c.shading(Shading::new().fill("EDEDED")) } else { c }
    };
    let mut rows = vec![TableRow::new(head.iter().map(|h| cell(h, false, true)).collect())];
    for r in &t.rows {
        let mut cells: Vec<TableCell> = r.iter().map(|c| cell(&c.written(), c.numeric(), false)).collect();
        if t.chart.is_some() {
            let bar = t.bar(r).map(|s| text_bar(&s)).unwrap_or_default();
            cells.push(cell(&bar, false, false));
        }
        while cells.len() < head.len() {
            cells.push(cell("", false, false));
        }
        rows.push(TableRow::new(cells));
    }
    if t.rows.is_empty() {
        let empty = Cell::text("（无）");
        rows.push(TableRow::new(
            std::iter::once(cell(&empty.written(), false, false))
                .chain((1..head.len()).map(|_| cell("", false, false)))
                .collect(),
        ));
    }
    docx_rs::Table::new(rows).set_grid(grid).width(TEXT_WIDTH, WidthType::Dxa)
}
