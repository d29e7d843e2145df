// ECharts parts the analytics charts use (registered once, in addition to the app's pie chart), and the chart
// options of the performance and frontier views. Values are decimal dollars or fractions.
import * as echarts from 'echarts/core';
import { LineChart } from 'echarts/charts';
import { DataZoomComponent, GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import type { EChartOption } from '../../charts/EChart.tsx';
import type { PerformanceView } from '../../workers/analytics-client.ts';

echarts.use([LineChart, GridComponent, TooltipComponent, LegendComponent, DataZoomComponent]);

const axisStyle = { axisLine: { lineStyle: { color: '#3a4656' } }, axisLabel: { color: '#8b98a9' }, splitLine: { lineStyle: { color: '#1e2631' } } };

export function valueOption(v: PerformanceView): EChartOption {
  return {
    animation: false,
    grid: { left: 70, right: 20, top: 30, bottom: 30 },
    tooltip: { trigger: 'axis', valueFormatter: (x: unknown) => `$${Number(x).toLocaleString('en-US', { maximumFractionDigits: 0 })}` },
    legend: { textStyle: { color: '#8b98a9' }, top: 0 },
    xAxis: { type: 'category', data: v.chart.dates, ...axisStyle },
    yAxis: { type: 'value', scale: true, ...axisStyle, axisLabel: { color: '#8b98a9', formatter: (x: number) => `$${(x / 1000).toFixed(0)}K` } },
    series: [{ name: 'Market value', type: 'line', data: v.chart.value, showSymbol: false, lineStyle: { width: 1.5, color: '#4c9aff' }, areaStyle: { opacity: 0.08 } }],
  };
}

export function growthOption(v: PerformanceView): EChartOption {
  const series: object[] = [{ name: 'Account (time-weighted)', type: 'line', data: v.chart.growth.map((g) => g - 1), showSymbol: false, lineStyle: { width: 1.5, color: '#4c9aff' } }];
  if (v.chart.benchmarkGrowth) {
    series.push({ name: `Benchmark ${v.benchmarkSymbol}`, type: 'line', data: v.chart.benchmarkGrowth.map((g) => g - 1), showSymbol: false, lineStyle: { width: 1.2, color: '#f5a623' } });
  }
  return {
    animation: false,
    grid: { left: 70, right: 20, top: 30, bottom: 30 },
    tooltip: { trigger: 'axis', valueFormatter: (x: unknown) => `${(Number(x) * 100).toFixed(2)}%` },
    legend: { textStyle: { color: '#8b98a9' }, top: 0 },
    xAxis: { type: 'category', data: v.chart.dates, ...axisStyle },
    yAxis: { type: 'value', ...axisStyle, axisLabel: { color: '#8b98a9', formatter: (x: number) => `${(x * 100).toFixed(0)}%` } },
    series,
  };
}

export function drawdownOption(v: PerformanceView): EChartOption {
  return {
    animation: false,
    grid: { left: 70, right: 20, top: 10, bottom: 30 },
    tooltip: { trigger: 'axis', valueFormatter: (x: unknown) => `${(Number(x) * 100).toFixed(2)}%` },
    xAxis: { type: 'category', data: v.chart.dates, ...axisStyle },
    yAxis: { type: 'value', max: 0, ...axisStyle, axisLabel: { color: '#8b98a9', formatter: (x: number) => `${(x * 100).toFixed(0)}%` } },
    series: [{ name: 'Drawdown', type: 'line', data: v.chart.drawdown, showSymbol: false, lineStyle: { width: 1, color: '#e5534b' }, areaStyle: { color: '#e5534b', opacity: 0.25 } }],
  };
}
