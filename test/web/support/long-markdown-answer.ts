/**
 * A long model answer with what answers hold: headings, paragraphs, lists, code in several
 * languages, aligned tables, quotes, math and task lists, repeated until it reaches `bytes`.
 */
export function longMarkdownAnswer(bytes: number): string {
  const sections: string[] = [];
  let size = 0;
  for (let index = 1; size < bytes; index += 1) {
    const section = answerSection(index);
    sections.push(section);
    size += section.length;
  }
  return sections.join('\n\n');
}

function answerSection(index: number): string {
  return [
    `## Step ${index}: shaping the data`,
    `This step reads the **input records**, keeps the ones with a \`status\` of *active*, and groups them by region. ` +
      `It runs in $O(n \\log n)$ time because of the sort, and the grouping keeps memory at $O(k)$ for $k$ regions; ` +
      `see [the guide](https://example.com/guide/${index}) for the details behind each choice.`,
    '',
    `1. Read the file in chunks of ${index * 64} rows.`,
    '2. Drop rows whose `region` is empty.',
    '3. Sort by `created_at`, newest first.',
    '',
    '```python',
    `def shape_${index}(rows):`,
    '    """Group active rows by region."""',
    '    groups = {}',
    '    for row in sorted(rows, key=lambda r: r["created_at"], reverse=True):',
    '        if row["status"] != "active" or not row["region"]:',
    '            continue',
    '        groups.setdefault(row["region"], []).append(row)',
    `    return {region: len(items) * ${index} for region, items in groups.items()}`,
    '```',
    '',
    '| Region | Rows | Share |',
    '|:-------|:----:|------:|',
    `| North | ${index * 120} | ${(index * 3) % 100}.5 % |`,
    `| South | ${index * 80} | ${(index * 7) % 100}.0 % |`,
    `| East | ${index * 45} | ${(index * 11) % 100}.25 % |`,
    '',
    `> The share column sums to 100 % only when no row was dropped in step ${index}.`,
    '',
    '$$',
    `\\sum_{i=1}^{${index}} x_i^2 = \\frac{${index}(${index}+1)(2 \\cdot ${index}+1)}{6}`,
    '$$',
    '',
    `- [x] Checked the input for step ${index}`,
    '- [ ] Wrote the results back',
  ].join('\n');
}
