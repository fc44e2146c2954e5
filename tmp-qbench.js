const mysql = require('mysql2/promise');
const fs = require('fs');
const pid = require('child_process').execSync('pidof mariadbd').toString().trim().split(' ')[0];
const ticks = () => { const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' '); return +f[11] + +f[12]; };
const ids = '3, 4, 10, 14, 18, 36, 39, 58, 61, 64, 72, 86, 87, 88, 92, 99, 105, 106, 111, 112, 115, 119, 135, 136, 142, 146, 161, 173, 179, 194, 201, 205, 218, 223, 226, 231, 236, 249, 250, 254, 257, 259, 260, 265, 271, 278, 286, 290, 291, 293';
const inner = "SELECT `fa`.`id` AS `fa_id`, `fa`.`requestedAmount` AS `fa_requestedAmount`, `fa`.`status` AS `fa_status`, `fa`.`projectId` AS `fa_projectId`, ROW_NUMBER() OVER (PARTITION BY `fa`.`projectId` ORDER BY `fa`.`id` DESC, `fa`.`id` DESC) AS `rn` FROM `fund_applications` `fa` WHERE ((`fa`.`territoryId` IN (3, 23))) AND `fa`.`projectId` IN (" + ids + ")";
const Q = {
  current: `SELECT w.* FROM (${inner}) \`w\` WHERE w.rn <= 21 ORDER BY w.fa_projectId ASC, w.rn ASC`,
  noOuterOrder: `SELECT w.* FROM (${inner}) \`w\` WHERE w.rn <= 21`,
  innerOnly: inner,
  baseline: `SELECT projectId, requestedAmount, status FROM fund_applications WHERE territoryId IN (3, 23) AND projectId IN (${ids}) ORDER BY projectId, id DESC`,
  page: "SELECT `p`.`id` AS `p_id`, `p`.`projectCode` AS `p_projectCode`, `p`.`name` AS `p_name`, `p`.`stage` AS `p_stage`, `p`.`totalInvestment` AS `p_totalInvestment`, `p`.`enterpriseId` AS `p_enterpriseId`, `pe`.`id` AS `pe_id`, `pe`.`name` AS `pe_name`, `pe`.`creditCode` AS `pe_creditCode` FROM `projects` `p` LEFT JOIN `enterprises` `pe` ON `pe`.`id` = `p`.`enterpriseId` AND ((`pe`.`territoryId` IN (3, 23))) WHERE ((`p`.`territoryId` IN (3, 23))) ORDER BY `p_id` ASC LIMIT 51",
  version: 'SELECT version FROM authorization_version WHERE id = 1',
};
(async () => {
  const c = await mysql.createConnection({ host: '127.0.0.1', user: 'root', database: 'techtransform_bench' });
  const only = process.argv.slice(2);
  for (const [name, sql] of Object.entries(Q)) {
    if (only.length && !only.includes(name)) continue;
    for (let i = 0; i < 300; i++) await c.query(sql);
    const N = 4000; const t0 = ticks(); const w0 = Date.now();
    for (let i = 0; i < N; i++) await c.query(sql);
    console.log(name.padEnd(14), ((ticks() - t0) * 10000 / N).toFixed(0), 'µs db CPU/query', ((Date.now() - w0) * 1000 / N).toFixed(0), 'µs wall', (await c.query(sql))[0].length, 'rows');
  }
  await c.end();
})();
