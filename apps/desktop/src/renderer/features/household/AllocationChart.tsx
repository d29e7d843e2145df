// Allocation donut (ECharts): one slice per asset class, cash included.
import { useMemo } from 'react';
import { EChart, type EChartOption } from '../../charts/EChart.tsx';
import { money, percent } from '../../grid/format.ts';
import type { AllocationSlice } from '../../workers/valuation-client.ts';

const PALETTE = ['#4c9aff', '#36b37e', '#ffab00', '#ff7452', '#998dd9', '#00b8d9', '#f15bb5', '#8fbc5a', '#e0a458', '#6c8ebf',
  '#c77dff', '#57cc99', '#8892a0'];

export function AllocationChart({ slices }: { slices: AllocationSlice[] }) {
  const option = useMemo<EChartOption>(() => ({
    color: PALETTE,
    tooltip: {
      trigger: 'item', backgroundColor: '#1b222c', borderColor: '#2c3642', textStyle: { color: '#d5dbe3', fontSize: 12 },
      formatter: (p: { name: string; value: number; percent: number }) => `${p.name}<br/>${money(Math.round(p.value * 100))} · ${p.percent.toFixed(1)}%`,
    },
    legend: {
      orient: 'vertical', right: 4, top: 'middle', itemWidth: 9, itemHeight: 9, itemGap: 6,
      textStyle: { color: '#aab4c3', fontSize: 11 },
      formatter: (name: string) => {
        const s = slices.find((x) => x.key === name);
        return s ? `${name}  ${percent(s.weight)}` : name;
      },
    },
    series: [{
      type: 'pie', radius: ['50%', '80%'], center: ['24%', '50%'], avoidLabelOverlap: true,
      label: { show: false }, itemStyle: { borderColor: '#11161d', borderWidth: 2 },
      data: slices.map((s) => ({ name: s.key, value: s.valueCents / 100 })),
    }],
  }), [slices]);
  return <EChart option={option} className="chart" testId="allocation-chart" />;
}
